// Content hashes: a resource's hash covers its type and bytes; versions hash sorted (name, hash) pairs,
// so equal content always yields equal versions, independent of insertion order.
import { createHash } from 'node:crypto';

const HASH_CHARS = 16;

function digest(update: (h: ReturnType<typeof createHash>) => void): string {
  const h = createHash('sha256');
  update(h);
  return h.digest('hex').slice(0, HASH_CHARS);
}

/** Hash of one encoded resource. */
export function resourceHash(typeUrl: string, bytes: Uint8Array): string {
  return digest((h) => h.update(typeUrl).update('\0').update(bytes));
}

/** Orders names as versions do (UTF-16 code units, like `<`). */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * versionOf for entries already sorted by name (compareNames): the caller skips the sort when it
 * knows the order. One string, one update: per-entry update calls dominate for large types.
 */
export function versionOfSorted(entries: Iterable<readonly [string, string]>): string {
  const parts: string[] = [];
  for (const [name, hash] of entries) parts.push(name, '\0', hash, '\n');
  return digest((h) => h.update(parts.join('')));
}

/** Version of a set of named hashes (a resource type, or a whole snapshot). */
export function versionOf(entries: Iterable<readonly [string, string]>): string {
  return versionOfSorted([...entries].sort(([a], [b]) => compareNames(a, b)));
}
