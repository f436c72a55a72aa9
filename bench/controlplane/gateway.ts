/**
 * The real components for one size: kube-apiserver + etcd, the world created through the API
 * server, then `turnpike operator` and an Envoy on its ADS, until every Api is served.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGatewayEnvoy, startOperator, startTestCluster, tail, type Envoy, type TestCluster, type TurnpikeProcess } from '@turnpike/e2e';
import { apiManifest, groupManifest, mockBody, routeOf, type Size } from './fixtures';
import { KubeClient } from './kube';
import { progress } from './log';
import { seedStatuses } from './seed';
import { StatusFollower } from './statuses';
import { EnvoyClient } from './traffic';
import { mapLimit, since, sleep } from './stats';

export interface Live {
  readonly size: Size;
  readonly namespace: string;
  readonly cluster: TestCluster;
  readonly kube: KubeClient;
  readonly operator: TurnpikeProcess;
  readonly envoy: Envoy;
  readonly statuses: StatusFollower;
  /** The mock body revision each Api serves (absent: 0). */
  readonly revisions: Map<number, number>;
  /** Keep-alive requests through Envoy's HTTP listener. */
  readonly http: EnvoyClient;
  /** performance.now() when the operator was started. */
  readonly startedAt: number;
  /** Operator start → every Api served by Envoy, ms. */
  readonly coldStartMs: number;
}

export interface LiveOptions {
  /** Write a V8 CPU profile of the operator into this directory (on its exit). */
  readonly cpuProfDir?: string;
  readonly operatorNodeOptions?: string;
  readonly createConcurrency: number;
  readonly keep: boolean;
  /** Write up-to-date statuses before the operator starts (see seed.ts). */
  readonly seedStatuses: boolean;
}

/** Whether Envoy answers Api `i` with 200 and the body of `revision`. */
export async function serves(live: Pick<Live, 'size' | 'namespace' | 'http'>, i: number, revision: number): Promise<boolean> {
  const { host, path: route } = routeOf(live.size, live.namespace, i);
  try {
    const reply = await live.http.get(host, route);
    return reply.status === 200 && reply.body === mockBody(i, revision);
  } catch {
    return false;
  }
}

async function createWorld(kube: KubeClient, namespace: string, size: Size, concurrency: number): Promise<void> {
  const start = performance.now();
  const groups = Array.from({ length: size.groups }, (_, g) => g);
  await mapLimit(groups, concurrency, (g) => kube.create(namespace, 'apigroups', groupManifest(g)));
  const apis = Array.from({ length: size.apis }, (_, i) => i);
  await mapLimit(apis, concurrency, async (i) => {
    await kube.create(namespace, 'apis', apiManifest(size, i));
    if ((i + 1) % 2000 === 0) progress(`  created ${i + 1} Apis`);
  });
  progress(`created ${size.groups} groups and ${size.apis} Apis in ${(since(start) / 1000).toFixed(1)} s`);
}

/** Polls until every Api is served at revision 0: first the last one, then all of them. */
async function waitAllServed(live: Pick<Live, 'size' | 'namespace' | 'http'>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let missing = Array.from({ length: live.size.apis }, (_, i) => i).reverse();
  while (missing.length > 0) {
    if (performance.now() > deadline) throw new Error(`${missing.length} Apis still not served after ${timeoutMs} ms`);
    const first = missing[0] ?? 0;
    if (!(await serves(live, first, 0))) {
      await sleep(50);
      continue;
    }
    const ok = await mapLimit(missing, 16, (i) => serves(live, i, 0));
    missing = missing.filter((_, k) => ok[k] !== true);
  }
}

async function startOperatorProcess(cluster: TestCluster, dir: string, options: LiveOptions): Promise<TurnpikeProcess> {
  const saved = { options: process.env['NODE_OPTIONS'], dir: process.env['BENCH_CPU_PROF_DIR'] };
  // The harness passes this process's environment on; only the Node child reads these. Node
  // refuses --cpu-prof in NODE_OPTIONS, hence the preloaded profiler.
  const nodeOptions = options.operatorNodeOptions === undefined ? [] : [options.operatorNodeOptions];
  if (options.cpuProfDir !== undefined) {
    fs.mkdirSync(options.cpuProfDir, { recursive: true });
    nodeOptions.push(`--require ${path.join(__dirname, 'cpu-profile-preload.js')}`);
    process.env['BENCH_CPU_PROF_DIR'] = path.resolve(options.cpuProfDir);
  }
  if (nodeOptions.length > 0) process.env['NODE_OPTIONS'] = nodeOptions.join(' ');
  try {
    // Debug level (the harness default) logs each status write, which the bench counts.
    return await startOperator({ kubeconfigPath: cluster.kubeconfigPath, dir });
  } finally {
    restoreEnv('NODE_OPTIONS', saved.options);
    restoreEnv('BENCH_CPU_PROF_DIR', saved.dir);
  }
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) Reflect.deleteProperty(process.env, name);
  else process.env[name] = value;
}

/** Runs `body` against a fresh live gateway of `size` and always stops every process it started. */
export async function withLive<T>(size: Size, options: LiveOptions, body: (live: Live) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-bench-'));
  const stops: (() => Promise<void> | void)[] = [];
  try {
    const cluster = await startTestCluster();
    stops.push(() => cluster.stop());
    const namespace = await cluster.namespace('bench');
    const kube = new KubeClient(cluster.server, cluster.pki);
    stops.push(() => { kube.close(); });
    await createWorld(kube, namespace, size, options.createConcurrency);
    if (options.seedStatuses) await seedStatuses(kube, namespace, size, options.createConcurrency);
    const statuses = new StatusFollower(kube, namespace);
    await statuses.start();
    stops.push(() => { statuses.close(); });
    const start = performance.now();
    const operator = await startOperatorProcess(cluster, dir, options);
    // A CPU profile is written when the process exits: give it time to finish.
    stops.push(() => operator.proc.stop(options.cpuProfDir === undefined ? 5_000 : 60_000));
    const envoy = await startGatewayEnvoy({ dir, xdsPort: operator.xdsPort });
    stops.push(() => envoy.stop());
    const httpClient = new EnvoyClient(operator.httpPort, 32);
    stops.push(() => { httpClient.close(); });
    await waitAllServed({ size, namespace, http: httpClient }, 30 * 60_000);
    const coldStartMs = since(start);
    progress(`operator start → all ${size.apis} Apis served through Envoy: ${(coldStartMs / 1000).toFixed(1)} s`);
    return await body({ size, namespace, cluster, kube, operator, envoy, statuses, http: httpClient, revisions: new Map(), startedAt: start, coldStartMs });
  } catch (err) {
    for (const name of ['operator', 'envoy']) progress(`${name} log (tail):\n${tail(path.join(dir, `${name}.log`), 20)}`);
    throw err;
  } finally {
    for (const stop of stops.reverse()) await stop();
    if (options.keep) progress(`logs kept in ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}
