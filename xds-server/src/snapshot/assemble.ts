// Assembles one type's TypeSnapshot from its encoded resources, reusing the previous snapshot's
// work where the result cannot differ: an unchanged type is the previous TypeSnapshot itself, and a
// type whose names did not change keeps the previous name order (no sort). Only the version hash
// of a changed type is recomputed: one pass over its (name, hash) pairs, no encoding.
import { compareNames } from './hash';
import { sortedTypeSnapshot, type SnapshotResource, type TypeSnapshot } from './types';

type Resources = ReadonlyMap<string, SnapshotResource>;

/** Same names with the same content hashes: the type's version and resources cannot change. */
function sameContent(encoded: Resources, previous: Resources): boolean {
  if (encoded.size !== previous.size) return false;
  for (const [name, resource] of encoded) if (previous.get(name)?.hash !== resource.hash) return false;
  return true;
}

function sameNames(encoded: Resources, previous: Resources): boolean {
  if (encoded.size !== previous.size) return false;
  for (const name of encoded.keys()) if (!previous.has(name)) return false;
  return true;
}

function sortedNames(encoded: Resources): string[] {
  const names = [...encoded.keys()];
  // Translators usually emit names in order: checking is O(n), sorting O(n log n).
  for (let i = 1; i < names.length; i += 1) {
    if (compareNames(names[i - 1] ?? '', names[i] ?? '') > 0) return names.sort(compareNames);
  }
  return names;
}

function inNameOrder(encoded: Resources, previous: TypeSnapshot | undefined): Resources {
  const order = previous !== undefined && sameNames(encoded, previous.resources) ? previous.resources.keys() : sortedNames(encoded);
  const out = new Map<string, SnapshotResource>();
  for (const name of order) {
    const resource = encoded.get(name);
    if (resource !== undefined) out.set(name, resource);
  }
  return out;
}

/** The TypeSnapshot of `encoded` (any order), given the fleet's previous one of the same type. */
export function assembleType(typeUrl: string, encoded: Resources, previous: TypeSnapshot | undefined): TypeSnapshot {
  if (previous !== undefined && sameContent(encoded, previous.resources)) return previous;
  return sortedTypeSnapshot(typeUrl, inNameOrder(encoded, previous));
}
