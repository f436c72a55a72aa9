/**
 * Pure status arithmetic: merge the desired conditions into the current ones (keeping
 * lastTransitionTime while a condition's status holds), compare statuses the way the writer
 * decides whether to write, and build the merge patch. No I/O, no clock (callers pass `now`).
 */
import { isRecord } from '../json';

/** metav1.Condition as the writer accepts it: lastTransitionTime is filled in when absent. */
export interface StatusCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration?: number;
  readonly lastTransitionTime?: string;
}

/** A desired status: conditions, observedGeneration, and kind-specific fields (appKey, subdomain…). */
export interface DesiredStatus {
  readonly conditions: readonly StatusCondition[];
  readonly observedGeneration: number;
  readonly [field: string]: unknown;
}

export type Status = Readonly<Record<string, unknown>>;

type Json = Record<string, unknown>;

/** RFC 3339 in whole seconds, as metav1.Time serialises. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The conditions of a status read from the server, tolerating any shape. */
function conditionsOf(status: unknown): StatusCondition[] {
  const list = isRecord(status) ? status.conditions : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter((c): c is StatusCondition => isRecord(c) && typeof c.type === 'string' && typeof c.status === 'string');
}

/**
 * The desired conditions, each with its lastTransitionTime: the current one when the status did
 * not change (a new reason or message is not a transition), otherwise `now` (or the time the
 * caller set). observedGeneration defaults to the status's.
 */
export function mergeConditions(
  current: readonly StatusCondition[],
  desired: readonly StatusCondition[],
  observedGeneration: number,
  now: string,
): StatusCondition[] {
  return desired.map((condition) => {
    const previous = current.find((c) => c.type === condition.type);
    const unchanged = previous?.status === condition.status && previous.lastTransitionTime !== undefined;
    const lastTransitionTime = unchanged ? previous.lastTransitionTime : (condition.lastTransitionTime ?? now);
    return {
      type: condition.type,
      status: condition.status,
      observedGeneration: condition.observedGeneration ?? observedGeneration,
      lastTransitionTime,
      reason: condition.reason,
      message: condition.message,
    };
  });
}

/** The complete status to store: the desired fields with merged conditions. */
export function mergeStatus(current: unknown, desired: DesiredStatus, now: string): Status {
  const conditions = mergeConditions(conditionsOf(current), desired.conditions, desired.observedGeneration, now);
  const fields: Json = {};
  for (const [key, value] of Object.entries(desired)) if (value !== undefined) fields[key] = value;
  return { ...fields, observedGeneration: desired.observedGeneration, conditions };
}

/** A canonical form: keys sorted, null/undefined dropped, conditions by type without lastTransitionTime. */
function canonical(value: unknown, top = false): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item));
  if (!isRecord(value)) return value;
  const out: Json = {};
  for (const key of Object.keys(value).sort()) {
    const field = value[key];
    if (field === undefined || field === null) continue;
    if (top && key === 'conditions' && Array.isArray(field)) {
      const withoutTimes = conditionsOf({ conditions: field }).map((condition) => {
        const copy: Json = { ...condition };
        delete copy.lastTransitionTime;
        return copy;
      });
      out[key] = withoutTimes.sort((a, b) => (String(a.type) < String(b.type) ? -1 : 1)).map((c) => canonical(c));
    } else {
      out[key] = canonical(field);
    }
  }
  return out;
}

/** True when writing `next` over `current` would change nothing but lastTransitionTimes. */
export function sameStatus(current: unknown, next: unknown): boolean {
  return JSON.stringify(canonical(current ?? {}, true)) === JSON.stringify(canonical(next ?? {}, true));
}

/**
 * The JSON merge patch `status` value turning `current` into `next`: every field of `next`, and
 * null for top-level fields `next` no longer has (merge patches delete with null).
 */
export function statusPatch(current: unknown, next: Status): Json {
  const patch: Json = { ...next };
  if (isRecord(current)) {
    for (const key of Object.keys(current)) if (!(key in next)) patch[key] = null;
  }
  return patch;
}
