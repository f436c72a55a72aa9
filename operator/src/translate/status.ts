/**
 * What translation concludes about each object: its Accepted and ResolvedRefs conditions and the
 * kind-specific status fields. Programmed is added later from the fleet's ACKs and NACKs.
 */
import type { ConditionReason } from '../api';
import type { SourceRef } from '@turnpike/xds-server';
import { sourceKey } from '@turnpike/xds-server';

export interface ConditionValue {
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason: ConditionReason;
  readonly message: string;
}

export interface DesiredStatus {
  readonly source: SourceRef;
  readonly generation: number;
  readonly accepted: ConditionValue;
  readonly resolvedRefs: ConditionValue;
  /** True when the object contributes to the IR (so Envoy's ACK or NACK concerns it). */
  readonly inIR: boolean;
  /** Kind-specific status fields (ApiGroup.subdomain, App.appKey). */
  readonly fields: Readonly<Record<string, string>>;
  /** Why an accepted object the IR does not carry is not enforced (Programmed's message). */
  readonly notEnforced?: string;
  /**
   * Set when `generation` is invalid and the IR carries the object's last valid generation
   * instead (`inIR` then describes that one): the generation served.
   */
  readonly servedGeneration?: number;
}

const ACCEPTED: ConditionValue = { status: 'True', reason: 'Accepted', message: 'The spec is valid.' };
const RESOLVED: ConditionValue = { status: 'True', reason: 'ResolvedRefs', message: 'Every reference resolved.' };

/** Collects statuses while translating; the first problem of each condition wins. */
export class StatusBook {
  readonly #entries = new Map<string, DesiredStatus>();

  /** Registers an object as valid and resolved until told otherwise. */
  open(source: SourceRef, generation: number): void {
    this.#entries.set(sourceKey(source), { source, generation, accepted: ACCEPTED, resolvedRefs: RESOLVED, inIR: false, fields: {} });
  }

  #update(source: SourceRef, change: (status: DesiredStatus) => DesiredStatus): void {
    const key = sourceKey(source);
    const current = this.#entries.get(key);
    if (current !== undefined) this.#entries.set(key, change(current));
  }

  reject(source: SourceRef, reason: 'Invalid' | 'Conflicted', message: string): void {
    this.#update(source, (s) => (s.accepted.status === 'False' ? s : { ...s, accepted: { status: 'False', reason, message } }));
  }

  unresolved(source: SourceRef, reason: ConditionReason, message: string): void {
    this.#update(source, (s) => (s.resolvedRefs.status === 'False' ? s : { ...s, resolvedRefs: { status: 'False', reason, message } }));
  }

  served(source: SourceRef): void {
    this.#update(source, (s) => ({ ...s, inIR: true }));
  }

  /** Accepted, but the gateway lacks what would enforce it (e.g. no rate-limit service). */
  notEnforced(source: SourceRef, message: string): void {
    this.#update(source, (s) => ({ ...s, notEnforced: message }));
  }

  field(source: SourceRef, name: string, value: string): void {
    this.#update(source, (s) => ({ ...s, fields: { ...s.fields, [name]: value } }));
  }

  isHealthy(source: SourceRef): boolean {
    const status = this.#entries.get(sourceKey(source));
    return status !== undefined && status.accepted.status === 'True' && status.resolvedRefs.status === 'True';
  }

  /** Continues from statuses booked earlier (incremental translation replays a step's result). */
  restore(entries: Iterable<readonly [string, DesiredStatus]>): void {
    for (const [key, status] of entries) this.#entries.set(key, status);
  }

  /** Statuses by sourceKey, in booking order. */
  entries(): (readonly [string, DesiredStatus])[] {
    return [...this.#entries];
  }

  /** Statuses by sourceKey, sorted for deterministic output. */
  result(): ReadonlyMap<string, DesiredStatus> {
    return new Map([...this.#entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}

const sameCondition = (a: ConditionValue, b: ConditionValue): boolean => a.status === b.status && a.reason === b.reason && a.message === b.message;

function sameFields(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** Equal statuses (so the older object can be kept, and consumers compare by identity). */
export function sameDesired(a: DesiredStatus, b: DesiredStatus): boolean {
  return a === b || (
    sourceKey(a.source) === sourceKey(b.source) && a.generation === b.generation && a.inIR === b.inIR && a.notEnforced === b.notEnforced && a.servedGeneration === b.servedGeneration
    && sameCondition(a.accepted, b.accepted) && sameCondition(a.resolvedRefs, b.resolvedRefs) && sameFields(a.fields, b.fields)
  );
}
