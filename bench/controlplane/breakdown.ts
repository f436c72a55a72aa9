/**
 * Splits apply-to-served samples at the moment the operator logged "serving snapshot" (after
 * translation and SnapshotCache.set): before it, the API server's watch, the informers' debounce
 * and the translation; after it, the ADS push, Envoy applying the config and the polling.
 */
import fs from 'node:fs';
import { percentile } from './stats';

export interface Split {
  /** Write sent → snapshot served by the operator, p50 ms. */
  readonly toSnapshotP50: number;
  /** Snapshot served → Envoy answers with the change, p50 ms. */
  readonly toEnvoyP50: number;
  /** Samples whose snapshot line was found. */
  readonly matched: number;
}

/** Times (ms since the epoch) of the operator's "serving snapshot" log lines. */
export function snapshotTimes(logFile: string): number[] {
  const times: number[] = [];
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes('"serving snapshot"')) continue;
    try {
      const record = JSON.parse(line) as { time?: string };
      if (record.time !== undefined) times.push(Date.parse(record.time));
    } catch {
      // Not a JSON log line.
    }
  }
  return times.sort((a, b) => a - b);
}

export function splitSamples(sentAt: readonly number[], served: readonly number[], snapshots: readonly number[]): Split {
  const toSnapshot: number[] = [];
  const toEnvoy: number[] = [];
  sentAt.forEach((sent, k) => {
    const total = served[k] ?? Number.NaN;
    // Log times have millisecond resolution: allow the line to be stamped up to 1 ms "early".
    const at = snapshots.find((t) => t >= Math.floor(sent) - 1 && t <= sent + total + 1);
    if (at === undefined) return;
    const part = Math.max(0, at - sent);
    toSnapshot.push(part);
    toEnvoy.push(Math.max(0, total - part));
  });
  return { toSnapshotP50: percentile(toSnapshot, 50), toEnvoyP50: percentile(toEnvoy, 50), matched: toSnapshot.length };
}

/** How many statuses the operator has written so far (its debug line per write). */
export function statusWrites(logFile: string): number {
  let count = 0;
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) if (line.includes('"status written"')) count += 1;
  return count;
}
