/**
 * HA building blocks: `turnpike operator` replicas as the chart runs them (same flags, own xDS
 * port), an Envoy whose xDS cluster lists every replica (what the chart's headless Service gives
 * it through DNS), and a load generator that counts every failed request.
 */
import fs from 'node:fs';
import { envoyBootstrap } from '@turnpike/xds-server';
import { call } from '../../src/http';
import { authnModule, freePort, startEnvoy, startProcess, tail, turnpikeCli, waitFor, type Envoy, type Proc } from '../../src';

export interface Replica {
  readonly identity: string;
  readonly xdsPort: number;
  readonly healthPort: number;
  readonly proc: Proc;
  /** Lines of its log whose msg is `msg`. */
  logged(msg: string): number;
}

export interface ReplicaOptions {
  readonly identity: string;
  readonly kubeconfig: string;
  readonly leaseNamespace: string;
  readonly dir: string;
  /** Envoy's listener ports: the same on every replica, or the snapshots would differ. */
  readonly httpPort: number;
  readonly httpsPort: number;
  /** Reuse a port (a restarted replica behind the same address). */
  readonly xdsPort?: number;
  /** Appended to the flags above. */
  readonly extraArgs?: readonly string[];
}

export async function startReplica(options: ReplicaOptions): Promise<Replica> {
  const xdsPort = options.xdsPort ?? (await freePort());
  const healthPort = await freePort();
  const proc = startProcess({
    name: options.identity, command: process.execPath, logDir: options.dir, env: { TURNPIKE_LOG_LEVEL: 'debug' },
    args: [
      turnpikeCli, 'operator', '--kubeconfig', options.kubeconfig, '--xds-host', '127.0.0.1', '--xds-port', String(xdsPort),
      '--health-port', String(healthPort), '--listen-address', '127.0.0.1', '--http-port', String(options.httpPort),
      '--https-port', String(options.httpsPort), '--lease-namespace', options.leaseNamespace, '--identity', options.identity,
      '--authn-module', authnModule(), ...(options.extraArgs ?? []),
    ],
  });
  await waitFor(async () => {
    if (!proc.isRunning()) throw new Error(`${options.identity} exited:\n${tail(proc.logFile, 30)}`);
    return (await fetch(`http://127.0.0.1:${healthPort}/readyz`)).status === 200;
  }, { what: `${options.identity} ready (informers synced)`, timeoutMs: 30_000 });
  const logged = (msg: string): number => fs.readFileSync(proc.logFile, 'utf8').split('\n')
    .filter((line) => line.startsWith('{') && (JSON.parse(line) as { msg?: string }).msg === msg).length;
  return { identity: options.identity, xdsPort, healthPort, proc, logged };
}

interface XdsCluster {
  load_assignment: { endpoints: { lb_endpoints: unknown[] }[] };
}

/** An Envoy whose turnpike-xds cluster has one endpoint per replica port. */
export async function startHaEnvoy(dir: string, xdsPorts: readonly number[]): Promise<Envoy> {
  const bootstrap = structuredClone(envoyBootstrap({ nodeId: 'envoy-ha', fleet: 'turnpike', xdsHost: '127.0.0.1', xdsPort: xdsPorts[0] ?? 0 })) as
    Record<string, unknown> & { static_resources: { clusters: XdsCluster[] } };
  const endpoints = bootstrap.static_resources.clusters[0]?.load_assignment.endpoints[0];
  if (endpoints === undefined) throw new Error('envoyBootstrap() has no xDS endpoint to extend');
  endpoints.lb_endpoints = xdsPorts.map((port) => ({ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: port } } } }));
  return startEnvoy({ bootstrap, dir, name: 'envoy-ha' });
}

/** Active connections from Envoy to each xDS endpoint, by port. */
async function xdsConnections(envoy: Envoy): Promise<Map<number, number>> {
  const text = await (await fetch(`${envoy.admin}/clusters`)).text();
  const result = new Map<number, number>();
  for (const match of text.matchAll(/^turnpike-xds::127\.0\.0\.1:(\d+)::cx_active::(\d+)$/gm)) result.set(Number(match[1]), Number(match[2]));
  return result;
}

/** Waits until Envoy's only xDS connection is to `port` (and its ADS stream is up). */
export async function waitConnectedTo(envoy: Envoy, port: number, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => {
    const connections = await xdsConnections(envoy);
    const stats = await (await fetch(`${envoy.admin}/stats?filter=^control_plane.connected_state$`)).text();
    const others = [...connections].filter(([p, n]) => p !== port && n > 0);
    return connections.get(port) === 1 && others.length === 0 && stats.includes('control_plane.connected_state: 1');
  }, { what: `Envoy's ADS stream on the replica at port ${port}`, timeoutMs });
}

export interface Load {
  /** Requests completed so far (failed or not). */
  requests(): number;
  /** Stops the loops and returns what happened. */
  stop(): Promise<{ readonly requests: number; readonly failures: readonly string[] }>;
}

/** `workers` loops sending requests back to back through Envoy, each request on a new connection. */
export function startLoad(targets: readonly { readonly port: number; readonly host: string; readonly path: string }[], workers = 2): Load {
  let running = true;
  let requests = 0;
  const failures: string[] = [];
  const loop = async (worker: number): Promise<void> => {
    for (let i = worker; running; i += 1) {
      const target = targets[i % targets.length];
      if (target === undefined) return;
      try {
        const reply = await call({ ...target, timeoutMs: 5_000 });
        if (reply.status !== 200) failures.push(`${new Date().toISOString()} ${target.path}: ${reply.status} ${reply.body.slice(0, 200)}`);
      } catch (err) {
        failures.push(`${new Date().toISOString()} ${target.path}: ${err instanceof Error ? err.message : String(err)}`);
      }
      requests += 1;
    }
  };
  const loops = Array.from({ length: workers }, (_, w) => loop(w));
  return {
    requests: () => requests,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return { requests, failures };
    },
  };
}
