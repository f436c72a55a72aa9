/**
 * Desired statuses + Programmed → the ObjectStatus of every object, re-derived on ADS events in
 * linear time without allocating: an object whose desired status and Programmed value did not
 * change keeps its ObjectStatus object, so listeners can compare by identity.
 */
import type { SourceRef } from '@turnpike/xds-server';
import { PatchedMap } from '../resources/patched-map';
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
  #out: ReadonlyMap<string, ObjectStatus> = new Map();

  /**
   * Statuses by key, in the order of `desired`; the previous map when every entry is the same.
   * `maybeChanged`, when the caller knows it (same keys as the last call): the only keys whose
   * status can differ from the last call's, the others are not looked at.
   */
  derive(desired: ReadonlyMap<string, DesiredStatus>, programmed: (key: string, desired: DesiredStatus) => ConditionValue, maybeChanged?: Iterable<string>): ReadonlyMap<string, ObjectStatus> {
    // The same keys as last time (the usual case: an edit, an ACK): the changed statuses patch the
    // previous map, and nothing is allocated for the others.
    const patched = desired.size === this.#out.size ? this.#patched(desired, programmed, maybeChanged ?? desired.keys()) : undefined;
    if (patched !== undefined) return patched;
    const out = new Map<string, ObjectStatus>();
    desired.forEach((status, key) => { out.set(key, this.#statusOf(key, status, this.#out.get(key), programmed)); });
    this.#out = out;
    this.#desired = desired;
    return out;
  }

  /** derive for the keys in `keys` only; undefined when one of them is not a key of both maps. */
  #patched(desired: ReadonlyMap<string, DesiredStatus>, programmed: (key: string, desired: DesiredStatus) => ConditionValue, keys: Iterable<string>): ReadonlyMap<string, ObjectStatus> | undefined {
    const changes = new Map<string, ObjectStatus>();
    for (const key of keys) {
      const status = desired.get(key);
      const before = this.#out.get(key);
      if (status === undefined || before === undefined) return undefined;
      const next = this.#statusOf(key, status, before, programmed);
      if (next !== before) changes.set(key, next);
    }
    this.#out = PatchedMap.of(this.#out, changes);
    this.#desired = desired;
    return this.#out;
  }

  /** The object's status now: `before` itself when neither its desired status nor its Programmed value changed. */
  #statusOf(key: string, status: DesiredStatus, before: ObjectStatus | undefined, programmed: (key: string, desired: DesiredStatus) => ConditionValue): ObjectStatus {
    const value = programmed(key, status);
    if (before !== undefined && this.#desired.get(key) === status && sameCondition(before.programmed, value)) return before;
    return {
      source: status.source, generation: status.generation, accepted: status.accepted, resolvedRefs: status.resolvedRefs, programmed: value, fields: status.fields,
      ...(status.servedGeneration === undefined ? {} : { servedGeneration: status.servedGeneration }),
    };
  }
}
