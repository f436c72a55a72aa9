/**
 * Splits apply-to-served samples at the moment the operator logged "serving snapshot" (after
 * translation and SnapshotCache.set): before it, the API server's watch, the informers' debounce
 * and the translation; after it, the ADS push, Envoy applying the config and the polling. And
 * splits the in-process snapshot stage into a full build and the build after a one-Api change.
 */
import fs from 'node:fs';
import { jsonOf, TYPE_URLS, type ResourceInput, type SnapshotCache } from '@turnpike/xds-server';
import { percentile, since } from './stats';

export interface Split {
  /** Write sent → snapshot served by the operator, p50 ms. */
  readonly toSnapshotP50: number;
  /** Snapshot served → Envoy answers with the change, p50 ms. */
  readonly toEnvoyP50: number;
  /** Samples whose snapshot line was found. */
  readonly matched: number;
  /** The three slowest matched samples, slowest first, split the same way (ms): where the tail (p99 is the second slowest of 100) comes from. */
  readonly slowest: readonly SplitSample[];
}

export interface SplitSample {
  readonly total: number;
  readonly toSnapshot: number;
  readonly toEnvoy: number;
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
  const matched: SplitSample[] = [];
  sentAt.forEach((sent, k) => {
    const total = served[k] ?? Number.NaN;
    // Log times have millisecond resolution: allow the line to be stamped up to 1 ms "early".
    const at = snapshots.find((t) => t >= Math.floor(sent) - 1 && t <= sent + total + 1);
    if (at === undefined) return;
    const toSnapshot = Math.max(0, at - sent);
    matched.push({ total, toSnapshot, toEnvoy: Math.max(0, total - toSnapshot) });
  });
  return {
    toSnapshotP50: percentile(matched.map((m) => m.toSnapshot), 50),
    toEnvoyP50: percentile(matched.map((m) => m.toEnvoy), 50),
    matched: matched.length,
    slowest: [...matched].sort((a, b) => b.total - a.total).slice(0, 3),
  };
}

/** The slowest samples as `to snapshot / → Envoy` pairs, ms. */
export function formatSlowest(split: Split): string {
  return split.slowest.length === 0 ? '–' : split.slowest.map((s) => `${s.toSnapshot.toFixed(0)} / ${s.toEnvoy.toFixed(0)}`).join(', ');
}

/** How many statuses the operator has written so far (its debug line per write). */
export function statusWrites(logFile: string): number {
  let count = 0;
  for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) if (line.includes('"status written"')) count += 1;
  return count;
}

/** Appends to the first mock body (direct_response.body.inline_string) under `value`; false if none. */
function editFirstMockBody(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(editFirstMockBody);
  if (typeof value !== 'object' || value === null) return false;
  const object = value as Record<string, unknown>;
  const reply = object['direct_response'];
  const body = typeof reply === 'object' && reply !== null ? (reply as Record<string, unknown>)['body'] : undefined;
  if (typeof body === 'object' && body !== null) {
    const mock = body as Record<string, unknown>;
    if (typeof mock['inline_string'] === 'string') {
      mock['inline_string'] = `${mock['inline_string']} (edited)`;
      return true;
    }
  }
  return Object.values(object).some(editFirstMockBody);
}

/**
 * The world after a one-Api change, as a translator that keeps unchanged objects hands it over:
 * the same objects, except one route configuration replaced by a copy with one mock body edited.
 */
export function withOneApiChanged(resources: ResourceInput): ResourceInput {
  const routes = resources.get(TYPE_URLS.routeConfiguration);
  for (const [name, config] of routes ?? []) {
    const copy = structuredClone(jsonOf(config));
    if (editFirstMockBody(copy)) return new Map(resources).set(TYPE_URLS.routeConfiguration, new Map(routes).set(name, copy));
  }
  throw new Error('no route configuration with a mock body to edit');
}

/** SnapshotCache.set of `changed` on the cache already serving the world it was derived from, ms. */
export function changedSnapshotMs(cache: SnapshotCache, fleet: string, changed: ResourceInput): number {
  const start = performance.now();
  const result = cache.set(fleet, changed);
  const ms = since(start);
  if (result.status !== 'updated') throw new Error(`one-Api change not served: ${result.status}`);
  return ms;
}
