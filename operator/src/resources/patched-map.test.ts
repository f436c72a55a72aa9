import { PatchedMap } from './patched-map';

const base = (): Map<string, number> => new Map([['a', 1], ['b', 2], ['c', 3]]);

describe('PatchedMap', () => {
  it('reads as the base with the replaced values, in the base order, through every method', () => {
    const patched = PatchedMap.of(base(), new Map([['b', 20]]));
    expect(patched.size).toBe(3);
    expect([patched.get('a'), patched.get('b'), patched.get('z')]).toEqual([1, 20, undefined]);
    expect([patched.has('b'), patched.has('z')]).toEqual([true, false]);
    expect([...patched]).toEqual([['a', 1], ['b', 20], ['c', 3]]);
    expect([...patched.entries()]).toEqual([...patched]);
    expect([...patched.keys()]).toEqual(['a', 'b', 'c']);
    expect([...patched.values()]).toEqual([1, 20, 3]);
    const seen: [string, number][] = [];
    patched.forEach((value, key, map) => { seen.push([key, value]); expect(map).toBe(patched); });
    expect(seen).toEqual([['a', 1], ['b', 20], ['c', 3]]);
    expect(new Map(patched)).toEqual(new Map([['a', 1], ['b', 20], ['c', 3]]));
  });

  it('is the base itself when nothing is replaced, and leaves the base as it was', () => {
    const map = base();
    expect(PatchedMap.of(map, new Map())).toBe(map);
    PatchedMap.of(map, new Map([['a', 10]]));
    expect([...map]).toEqual([['a', 1], ['b', 2], ['c', 3]]);
  });

  it('merges patches of patches, the later value winning, and leaves earlier patches as they were', () => {
    const first = PatchedMap.of(base(), new Map([['a', 10], ['b', 20]]));
    const second = PatchedMap.of(first, new Map([['b', 200]]));
    expect([...second]).toEqual([['a', 10], ['b', 200], ['c', 3]]);
    expect([...first]).toEqual([['a', 10], ['b', 20], ['c', 3]]);
  });

  it('copies the map once its replacements pass the bound, with the same content', () => {
    const large = new Map(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i] as const));
    let map: ReadonlyMap<string, number> = large;
    for (let i = 1; i <= 256; i += 1) map = PatchedMap.of(map, new Map([[`k${i}`, -i]]));
    expect(map).toBeInstanceOf(PatchedMap);
    map = PatchedMap.of(map, new Map([['k257', -257]]));
    expect(map).toBeInstanceOf(Map);
    expect([map.get('k0'), map.get('k1'), map.get('k257'), map.get('k258')]).toEqual([0, -1, -257, 258]);
    expect([...map.keys()]).toEqual([...large.keys()]);
  });

  it('refuses a key the base does not hold (keys are added by building a new map)', () => {
    expect(() => PatchedMap.of(base(), new Map([['z', 26]]))).toThrow(/not in the map/);
  });

  it('names the keys whose values differ between patches of one map, and nothing for unrelated maps', () => {
    const root = base();
    const first = PatchedMap.of(root, new Map([['a', 10]]));
    const second = PatchedMap.of(first, new Map([['b', 20]]));
    expect(PatchedMap.differences(first, second)).toEqual(['b']);
    expect(PatchedMap.differences(root, second)?.sort()).toEqual(['a', 'b']);
    expect(PatchedMap.differences(second, PatchedMap.of(second, new Map([['b', 2]])))).toEqual(['b']);
    expect(PatchedMap.differences(root, base())).toBeUndefined();
  });

  it('names the differences across a copy, from the map it was made from or any patch of that, in either order', () => {
    const large = new Map(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i] as const));
    let before: ReadonlyMap<string, number> = large;
    for (let i = 1; i <= 256; i += 1) before = PatchedMap.of(before, new Map([[`k${i}`, -i]]));
    const copy = PatchedMap.of(before, new Map([['k300', -300]]));
    expect(copy).toBeInstanceOf(Map);
    expect(PatchedMap.differences(before, copy)).toEqual(['k300']);
    const after = PatchedMap.of(copy, new Map([['k1', 1], ['k400', -400]]));
    expect(PatchedMap.differences(before, after)?.sort()).toEqual(['k1', 'k300', 'k400']);
    expect(PatchedMap.differences(after, before)?.sort()).toEqual(['k1', 'k300', 'k400']);
    expect(PatchedMap.differences(large, copy)?.length).toBe(257);
    // A map from before the copy's base, or unrelated: compared in full by the caller.
    expect(PatchedMap.differences(PatchedMap.of(new Map(large), new Map([['k1', 5]])), copy)).toBeUndefined();
  });
});

