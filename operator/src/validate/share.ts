/**
 * Validation works on a copy of the spec, to apply the CRD's defaults. Kept as it is, that copy
 * doubles the memory of every cached object; this puts the original's (frozen, cached) subtrees
 * back wherever defaulting changed nothing, so a validated spec costs only what defaults added.
 */
import { isContainer } from '../json';

/** Equality of JSON data (specs are JSON: no prototypes, cycles or special objects to consider). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!isContainer(a) || !isContainer(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameJson(a[key], b[key]));
}

/** `copy`, or `original` where they are equal, sharing unchanged subtrees (`copy` is updated in place). */
export function shareUnchanged(original: unknown, copy: unknown): unknown {
  if (sameJson(original, copy)) return original;
  if (!isContainer(original) || !isContainer(copy) || Array.isArray(original) !== Array.isArray(copy)) return copy;
  for (const key of Object.keys(copy)) {
    if (Object.hasOwn(original, key)) copy[key] = shareUnchanged(original[key], copy[key]);
  }
  return copy;
}
