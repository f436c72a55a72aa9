/**
 * A live gateway of one size, in either mode: the world served by a real control plane and an
 * Envoy, and the one way each mode takes an edit (cluster: a merge patch to the API server;
 * standalone: the group's manifest file rewritten). The measurements only use this interface.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TurnpikeProcess } from '@turnpike/e2e';
import { mockBody, routeOf, type Size } from './fixtures';
import { progress } from './log';
import { mapLimit, sleep } from './stats';
import type { EnvoyClient } from './traffic';

export type Mode = 'cluster' | 'standalone';
export const MODES: readonly Mode[] = ['cluster', 'standalone'];

export interface Live {
  readonly mode: Mode;
  readonly size: Size;
  readonly namespace: string;
  /** `turnpike operator` (cluster) or `turnpike standalone`. */
  readonly controlPlane: TurnpikeProcess;
  /** The mock body revision each Api serves (absent: 0). */
  readonly revisions: Map<number, number>;
  /** Keep-alive requests through Envoy's HTTP listener. */
  readonly http: EnvoyClient;
  /** performance.now() when the control plane was started. */
  readonly startedAt: number;
  /** Control plane start → every Api served by Envoy, ms. */
  readonly coldStartMs: number;
  /** Makes Api `i` answer `mockBody(i, revision)`; `onSent` when the write leaves, resolves once written. */
  edit(i: number, revision: number, onSent?: () => void): Promise<void>;
  /** Waits until every status the control plane owes is written (standalone writes none); false on timeout. */
  settled(timeoutMs: number, onTick?: (pending: number) => void): Promise<boolean>;
}

export interface LiveOptions {
  /** Write a V8 CPU profile of the control plane into this directory (on its exit). */
  readonly cpuProfDir?: string;
  readonly nodeOptions?: string;
  readonly createConcurrency: number;
  readonly keep: boolean;
  /** Cluster mode: write up-to-date statuses before the operator starts (see seed.ts). */
  readonly seedStatuses: boolean;
  /** Standalone mode: more arguments for `turnpike standalone`. */
  readonly standaloneArgs: readonly string[];
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

/** Polls until every Api is served at revision 0: first the last one, then all of them. */
export async function waitAllServed(live: Pick<Live, 'size' | 'namespace' | 'http'>, timeoutMs: number): Promise<void> {
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

/**
 * NODE_OPTIONS for the control plane: the given ones, and a preloaded CPU profiler when asked
 * (Node refuses --cpu-prof in NODE_OPTIONS). The profiler reads BENCH_CPU_PROF_DIR.
 */
export function controlPlaneEnv(options: LiveOptions): Record<string, string> {
  const nodeOptions = options.nodeOptions === undefined ? [] : [options.nodeOptions];
  const env: Record<string, string> = {};
  if (options.cpuProfDir !== undefined) {
    fs.mkdirSync(options.cpuProfDir, { recursive: true });
    nodeOptions.push(`--require ${path.join(__dirname, 'cpu-profile-preload.js')}`);
    env['BENCH_CPU_PROF_DIR'] = path.resolve(options.cpuProfDir);
  }
  if (nodeOptions.length > 0) env['NODE_OPTIONS'] = nodeOptions.join(' ');
  return env;
}

/** Runs the stops in reverse order, then keeps or deletes `dir`. */
export async function cleanUp(stops: (() => Promise<void> | void)[], dir: string, keep: boolean): Promise<void> {
  for (const stop of stops.reverse()) await stop();
  if (keep) progress(`logs kept in ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
