import { createHash } from 'node:crypto';
import { versionOf, versionOfSorted } from './hash';

// The format is what Envoy holds as version_info across control-plane restarts: keep it stable.
function reference(entries: readonly (readonly [string, string])[]): string {
  const h = createHash('sha256');
  for (const [name, hash] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) h.update(name).update('\0').update(hash).update('\n');
  return h.digest('hex').slice(0, 16);
}

describe('versions', () => {
  const entries = [['b', '02'], ['a', '01'], ['ü/x', '03'], ['A', '04']] as const;

  it('hash the (name, hash) lines in name order, whatever the input order', () => {
    expect(versionOf(entries)).toBe(reference(entries));
    expect(versionOf([...entries].reverse())).toBe(versionOf(entries));
    expect(versionOf([])).toBe(reference([]));
  });

  it('versionOfSorted agrees with versionOf on sorted input', () => {
    const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : 1));
    expect(versionOfSorted(sorted)).toBe(versionOf(entries));
  });
});
