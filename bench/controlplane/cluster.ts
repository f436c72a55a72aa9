/**
 * Cluster mode: kube-apiserver + etcd, the world created through the API server, then
 * `turnpike operator` and an Envoy on its ADS, until every Api is served.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGatewayEnvoy, startOperator, startTestCluster, tail, type TestCluster, type TurnpikeProcess } from '@turnpike/e2e';
import { apiManifest, apiName, bodyPatch, groupManifest, type Size } from './fixtures';
import { cleanUp, controlPlaneEnv, waitAllServed, type Live, type LiveOptions } from './gateway';
import { KubeClient } from './kube';
import { progress } from './log';
import { seedStatuses } from './seed';
import { StatusFollower } from './statuses';
import { EnvoyClient } from './traffic';
import { mapLimit, since } from './stats';

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

async function startOperatorProcess(cluster: TestCluster, dir: string, options: LiveOptions): Promise<TurnpikeProcess> {
  const env = controlPlaneEnv(options);
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  // The harness passes this process's environment on to the operator.
  Object.assign(process.env, env);
  try {
    // Debug level (the harness default) logs each status write, which the bench counts.
    return await startOperator({ kubeconfigPath: cluster.kubeconfigPath, dir });
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
  }
}

/** Runs `body` against a fresh cluster-mode gateway of `size` and always stops every process it started. */
export async function withCluster<T>(size: Size, options: LiveOptions, body: (live: Live) => Promise<T>): Promise<T> {
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
    const http = new EnvoyClient(operator.httpPort, 32);
    stops.push(() => { http.close(); });
    await waitAllServed({ size, namespace, http }, 30 * 60_000);
    const coldStartMs = since(start);
    progress(`operator start → all ${size.apis} Apis served through Envoy: ${(coldStartMs / 1000).toFixed(1)} s`);
    return await body({
      mode: 'cluster', size, namespace, controlPlane: operator, http, revisions: new Map(), startedAt: start, coldStartMs,
      edit: async (i, revision, onSent) => {
        statuses.touched('apis', apiName(i));
        await kube.mergePatch(namespace, 'apis', apiName(i), bodyPatch(i, revision), onSent);
      },
      settled: (timeoutMs, onTick) => statuses.waitAll(timeoutMs, onTick),
    });
  } catch (err) {
    for (const name of ['operator', 'envoy']) progress(`${name} log (tail):\n${tail(path.join(dir, `${name}.log`), 20)}`);
    throw err;
  } finally {
    await cleanUp(stops, dir, options.keep);
  }
}
