/**
 * The fast path of a pass for an edit: when the objects of a kind kept their keys, uids and ages
 * and only a few of them are new objects, the previous pass's valid list (and Apis by group) is
 * copied with those few entries replaced, instead of validating, ordering and bucketing every
 * object again. The Translator falls back to its full path whenever anything else happened (an
 * addition, a deletion, a re-creation, an object that became invalid or was served at its last
 * valid version, an Api that moved to another group or has none), so results never differ from
 * the full path's; incremental.test.ts compares both after every step.
 */
import { PatchedMap } from '../resources/patched-map';
import type { KubeObject, ResourceSet } from '../resources/resourceset';

/** Above this many changed objects of a kind, the full path is as cheap. */
const PATCH_LIMIT = 64;

/**
 * Keys whose object is another object than in `before`, or undefined when the kind changed in
 * another way than objects replaced in place (keys, uids or creation times differ) or too many
 * changed.
 */
export function replacedKeys(before: ReadonlyMap<string, KubeObject>, after: ReadonlyMap<string, KubeObject>): string[] | undefined {
  if (before.size !== after.size) return undefined;
  const replaced: string[] = [];
  // Maps patched from one another (PatchedMap) name their differences; others are compared in full.
  for (const key of PatchedMap.differences(before, after) ?? after.keys()) {
    const object = after.get(key);
    const old = before.get(key);
    if (old === object) continue;
    if (object === undefined) return undefined;
    if (old === undefined || old.metadata.uid !== object.metadata.uid || old.metadata.creationTimestamp !== object.metadata.creationTimestamp) return undefined;
    replaced.push(key);
    if (replaced.length > PATCH_LIMIT) return undefined;
  }
  return replaced;
}

/** One kind's result of the last pass, for the fast path. */
export interface KindPass<V> {
  /** The kind's map the pass read. */
  readonly map: ReadonlyMap<string, KubeObject>;
  /** The valid objects, oldest first (what #valid returned). */
  readonly valid: readonly V[];
  /** Where each object served as it is (valid, not at a last valid version) sits in `valid`. */
  readonly position: ReadonlyMap<string, number>;
  /** Re-books the status of each refused object (its step must be asked for in every pass). */
  readonly refused: readonly ((set: ResourceSet) => void)[];
  /** The list `valid` was patched from (positions kept), or undefined when built in full. */
  readonly basis?: readonly V[];
  /** With `basis`: the positions whose entries were replaced. */
  readonly replacedAt?: readonly number[];
}

/** The Apis by group of the last pass, for the fast path. */
export interface ApisPass<V> {
  /** The valid Apis they were bucketed from. */
  readonly valid: readonly V[];
  /** The groups that existed. */
  readonly groups: ReadonlySet<string>;
  readonly byGroup: ReadonlyMap<string, readonly V[]>;
  /** Re-books each orphan's status. */
  readonly orphans: readonly ((set: ResourceSet) => void)[];
}

export const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a === b || (a.size === b.size && [...a].every((x) => b.has(x)));

/**
 * `previous.byGroup` with the Apis at `replacedAt` swapped in their buckets (a new array for each
 * bucket that changed, the others kept); undefined when one changed group or has none. `valid`
 * must be `previous.valid` patched in place (KindPass.basis) at `replacedAt`.
 */
export function patchedBuckets<V>(previous: ApisPass<V>, valid: readonly V[], replacedAt: readonly number[], groupOf: (input: V) => string): ReadonlyMap<string, readonly V[]> | undefined {
  if (valid.length !== previous.valid.length) return undefined;
  const buckets = new Map<string, V[]>();
  for (const i of replacedAt) {
    const before = previous.valid[i] as V;
    const after = valid[i] as V;
    const group = groupOf(after);
    if (group !== groupOf(before)) return undefined;
    let bucket = buckets.get(group);
    if (bucket === undefined) {
      const kept = previous.byGroup.get(group);
      if (kept === undefined) return undefined; // an orphan: the full path books it
      buckets.set(group, (bucket = kept.slice()));
    }
    const at = bucket.indexOf(before);
    if (at < 0) return undefined;
    bucket[at] = after;
  }
  return PatchedMap.of(previous.byGroup, buckets);
}
