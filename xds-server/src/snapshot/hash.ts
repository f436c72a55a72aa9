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

/** Version of a set of named hashes (a resource type, or a whole snapshot). */
export function versionOf(entries: Iterable<readonly [string, string]>): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return digest((h) => {
    for (const [name, hash] of sorted) h.update(name).update('\0').update(hash).update('\n');
  });
}
