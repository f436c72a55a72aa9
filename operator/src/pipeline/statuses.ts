/**
 * Desired statuses + Programmed → the ObjectStatus of every object, re-derived on ADS events in
 * linear time without allocating: an object whose desired status and Programmed value did not
 * change keeps its ObjectStatus object, so listeners can compare by identity.
 */
import type { SourceRef } from '@turnpike/xds-server';
import type { ConditionValue, DesiredStatus } from '../translate';

export interface ObjectStatus {
  readonly source: SourceRef;
  readonly generation: number;
  readonly accepted: ConditionValue;
  readonly resolvedRefs: ConditionValue;
  readonly programmed: ConditionValue;
  readonly fields: Readonly<Record<string, string>>;
  /** Set when `generation` is invalid and the fleet is given the last valid generation instead. */
  readonly servedGeneration?: number;
}

/** Kinds the pipeline sees that have no status of their own (core kinds and the gateway's configuration). */
export const STATUSLESS_KINDS: ReadonlySet<string> = new Set(['GatewayConfig', 'Secret', 'Service']);

const sameCondition = (a: ConditionValue, b: ConditionValue): boolean => a === b || (a.status === b.status && a.reason === b.reason && a.message === b.message);

export class ObjectStatuses {
  #desired: ReadonlyMap<string, DesiredStatus> = new Map();
  #out = new Map<string, ObjectStatus>();

  /** Statuses by key, in the order of `desired`; the previous map when every entry is the same. */
  derive(desired: ReadonlyMap<string, DesiredStatus>, programmed: (key: string, desired: DesiredStatus) => ConditionValue): ReadonlyMap<string, ObjectStatus> {
    const out = new Map<string, ObjectStatus>();
    let changed = desired.size !== this.#out.size;
    for (const [key, status] of desired) {
      const value = programmed(key, status);
      const before = this.#out.get(key);
      if (before !== undefined && this.#desired.get(key) === status && sameCondition(before.programmed, value)) {
        out.set(key, before);
        continue;
      }
      changed = true;
      out.set(key, { source: status.source, generation: status.generation, accepted: status.accepted, resolvedRefs: status.resolvedRefs, programmed: value, fields: status.fields,
        ...(status.servedGeneration === undefined ? {} : { servedGeneration: status.servedGeneration }) });
    }
    this.#desired = desired;
    if (changed) this.#out = out;
    return this.#out;
  }
}
