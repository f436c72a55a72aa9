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
 * versionOf for entries already in name order (compareNames): the caller skips the sort when it
 * knows the order. One line per entry, one update of the joined string: per-entry update calls,
 * or joining 4 parts per entry, cost 2-3x more for a type of 10,000 resources.
 */
export function versionOfSorted(entries: Iterable<readonly [string, string]>): string {
  const lines: string[] = [];
  for (const [name, hash] of entries) lines.push(`${name}\0${hash}\n`);
  return digest((h) => h.update(lines.join('')));
}

/** Version of a set of named hashes (a resource type, or a whole snapshot). */
export function versionOf(entries: Iterable<readonly [string, string]>): string {
  return versionOfSorted([...entries].sort(([a], [b]) => compareNames(a, b)));
}
