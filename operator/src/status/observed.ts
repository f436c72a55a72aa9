/**
 * The status writer's copy of what the informers hold: every Turnpike object's current status by
 * status key. Followed set by set, in proportion to what changed when a set was patched from the
 * last one (changedKeys), so the operator's own status writes coming back cost one entry each.
 */
import { TURNPIKE_KINDS, changedKeys, type KubeObject, type ResourceSet, type TurnpikeKind } from '../resources/resourceset';
import { snapshotOf, statusKey, type Known } from './known';

/** An entry that changed: its key and what was known before (undefined: new). */
export interface ObservedChange {
  readonly key: string;
  readonly before: Known | undefined;
}

export class ObservedObjects {
  #set: ResourceSet | undefined;
  #byKey = new Map<string, Known>();
  /** Informer objects keep their identity while unchanged: key and snapshot once per object. */
  readonly #seen = new WeakMap<KubeObject, { readonly key: string; readonly known: Known }>();

  get(key: string): Known | undefined {
    return this.#byKey.get(key);
  }

  /** Forgets an entry until its object changes again (after a conflicting write). */
  delete(key: string): void {
    this.#byKey.delete(key);
  }

  /** Takes the informers' next set; returns the entries added or replaced (removed ones are dropped silently). */
  follow(set: ResourceSet): ObservedChange[] {
    const keys = changedKeys(set, this.#set);
    const base = this.#set;
    this.#set = set;
    if (keys === undefined || base === undefined) return this.#replaceAll(set);
    const changes: ObservedChange[] = [];
    for (const kind of TURNPIKE_KINDS) {
      for (const key of keys.get(kind) ?? []) {
        const change = this.#patch(kind, base[kind].get(key), set[kind].get(key));
        if (change !== undefined) changes.push(change);
      }
    }
    return changes;
  }

  #entry(kind: TurnpikeKind, object: KubeObject): { readonly key: string; readonly known: Known } {
    let seen = this.#seen.get(object);
    if (seen === undefined) {
      seen = { key: statusKey({ kind, namespace: object.metadata.namespace ?? 'default', name: object.metadata.name }), known: snapshotOf(object) };
      this.#seen.set(object, seen);
    }
    return seen;
  }

  /** Follows one key from `old` to `object`; the change, if an entry was added or replaced. */
  #patch(kind: TurnpikeKind, old: KubeObject | undefined, object: KubeObject | undefined): ObservedChange | undefined {
    if (object === undefined) {
      if (old !== undefined) this.#byKey.delete(this.#entry(kind, old).key);
      return undefined;
    }
    const { key, known } = this.#entry(kind, object);
    const before = this.#byKey.get(key);
    this.#byKey.set(key, known);
    return before === known ? undefined : { key, before };
  }

  #replaceAll(set: ResourceSet): ObservedChange[] {
    const previous = this.#byKey;
    const next = new Map<string, Known>();
    const changes: ObservedChange[] = [];
    for (const kind of TURNPIKE_KINDS) {
      for (const object of set[kind].values()) {
        const { key, known } = this.#entry(kind, object);
        next.set(key, known);
        const before = previous.get(key);
        if (before !== known) changes.push({ key, before });
      }
    }
    this.#byKey = next;
    return changes;
  }
}
