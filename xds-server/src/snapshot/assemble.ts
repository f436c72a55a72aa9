// Assembles one type's TypeSnapshot from its encoded resources, reusing the previous snapshot's
// work where the result cannot differ: an unchanged type is the previous TypeSnapshot itself, and a
// type whose names did not change is a copy of the previous map (same order, no sort) with the
// changed resources set in place. Only a changed type's version is hashed again: one pass over its
// (name, hash) pairs, no encoding.
import { compareNames } from './hash';
import { sortedTypeSnapshot, type SnapshotResource, type TypeSnapshot } from './types';

/** The resources whose hash differs from `previous`, or undefined when the names differ. */
function changedOnly(encoded: readonly SnapshotResource[], previous: ReadonlyMap<string, SnapshotResource>): SnapshotResource[] | undefined {
  // Input names are unique (map keys), so equal sizes and every name found means equal name sets.
  if (encoded.length !== previous.size) return undefined;
  const changed: SnapshotResource[] = [];
  for (const resource of encoded) {
    const before = previous.get(resource.name);
    if (before === undefined) return undefined;
    if (before.hash !== resource.hash) changed.push(resource);
  }
  return changed;
}

function inNameOrder(encoded: readonly SnapshotResource[]): Map<string, SnapshotResource> {
  let sorted = true;
  // Translators usually emit names in order: checking is O(n), sorting O(n log n).
  for (let i = 1; i < encoded.length && sorted; i += 1) sorted = compareNames(encoded[i - 1]?.name ?? '', encoded[i]?.name ?? '') < 0;
  const ordered = sorted ? encoded : [...encoded].sort((a, b) => compareNames(a.name, b.name));
  return new Map(ordered.map((r) => [r.name, r]));
}

export interface AssembledType {
  readonly type: TypeSnapshot;
  /** The resources that differ from the previous snapshot's, when its names are the same; else undefined. */
  readonly changed: readonly SnapshotResource[] | undefined;
}

/** The TypeSnapshot of `encoded` (input order), given the fleet's previous one of the same type. */
export function assembleType(typeUrl: string, encoded: readonly SnapshotResource[], previous: TypeSnapshot | undefined): AssembledType {
  const changed = previous === undefined ? undefined : changedOnly(encoded, previous.resources);
  if (previous === undefined || changed === undefined) return { type: sortedTypeSnapshot(typeUrl, inNameOrder(encoded)), changed: undefined };
  return patched(previous, changed);
}

/** `previous` with `changed` (resources of names it has, each with another hash) set in place. */
function patched(previous: TypeSnapshot, changed: readonly SnapshotResource[]): AssembledType {
  if (changed.length === 0) return { type: previous, changed };
  // Setting an existing key keeps its place, so the copy stays in name order.
  const resources = new Map(previous.resources);
  for (const resource of changed) resources.set(resource.name, resource);
  return { type: sortedTypeSnapshot(previous.typeUrl, resources, { resources: previous.resources, changed }), changed };
}

/**
 * The TypeSnapshot of a type whose input only replaced some resources of the input `previous` was
 * built from (`replaced`: their new encodings); no walk over the others.
 */
export function reassembleType(previous: TypeSnapshot, replaced: readonly SnapshotResource[]): AssembledType {
  return patched(previous, replaced.filter((resource) => previous.resources.get(resource.name)?.hash !== resource.hash));
}
