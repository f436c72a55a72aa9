/**
 * Empties V8's young generation while the control plane is idle. At 10,000 Apis an edit's pass
 * allocates about 5 MB; with the 8 MiB semi-spaces the launchers set (heap.ts) most passes met a
 * scavenge of 1.5–5 ms, and whatever a scavenge in the middle of a pass finds alive (the pass's own
 * temporaries) is promoted, for the next full collection to find. Collected while idle, the young
 * generation holds only garbage left by the last pass: the scavenge is cheap and off every edit's
 * path. docs/performance.md has the measurements.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface IdleScavengeOptions {
  /** How often to look. */
  readonly everyMs: number;
  /** Idle: at most this much CPU time (all threads) since the last look. */
  readonly idleCpuMs: number;
  /** Not worth a scavenge below this many bytes in the young generation. */
  readonly minYoungBytes: number;
}

export const IDLE_SCAVENGE: IdleScavengeOptions = { everyMs: 100, idleCpuMs: 5, minYoungBytes: 1 << 20 };

export type MinorGc = (options: { readonly type: 'minor' }) => void;

const isGc = (value: unknown): value is MinorGc => typeof value === 'function';

/**
 * V8's gc(), without --expose-gc on the command line: the flag exposes it to contexts created after
 * it is set. Undefined when this V8 does not.
 */
export function exposedGc(): MinorGc | undefined {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  return isGc(gc) ? gc : undefined;
}

export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_used_size ?? 0;
}

/** What the scavenger reads and does: this process's, or a test's. */
export interface Probes {
  readonly gc: MinorGc;
  readonly youngBytes: () => number;
  /** CPU time (all threads) used so far, ms. */
  readonly cpuMs: () => number;
}

function processProbes(): Probes | undefined {
  const gc = exposedGc();
  if (gc === undefined) return undefined;
  return { gc, youngBytes: youngGenerationBytes, cpuMs: () => { const usage = process.cpuUsage(); return (usage.user + usage.system) / 1000; } };
}

/** Starts looking every `everyMs` (a timer that does not keep the process alive); returns stop. */
export function scavengeWhenIdle(options: IdleScavengeOptions = IDLE_SCAVENGE, probes: Probes | undefined = processProbes()): () => void {
  if (probes === undefined) return () => undefined;
  let since = probes.cpuMs();
  const timer = setInterval(() => {
    const busy = probes.cpuMs() - since > options.idleCpuMs;
    if (!busy && probes.youngBytes() >= options.minYoungBytes) probes.gc({ type: 'minor' });
    since = probes.cpuMs();
  }, options.everyMs);
  timer.unref();
  return () => { clearInterval(timer); };
}
