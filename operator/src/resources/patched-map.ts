/**
 * A read-only map that is another with some values replaced, without copying it. The control
 * plane's maps (the ResourceSet's kinds, the desired and derived statuses) hold every object, and
 * an edit replaces one or two values in each: copying 10,000 entries per change was most of what
 * the operator allocated per edit, and what made its heap collect every few edits
 * (docs/performance.md). Patches of a patch share one plain base and merge their replacements;
 * once those pass MAX_REPLACEMENTS the map is copied once (in proportion: one copy per that many
 * changes). A copy remembers the base it was made from and the replacements it took in, so that
 * the differences across it are still found in proportion to them.
 */

/** Replacements carried before a patch copies the whole map. */
const MAX_REPLACEMENTS = 256;

/** Where a copy made by PatchedMap.of came from: the base (not kept alive by the copy) and what it replaced. */
interface Lineage {
  readonly base: WeakRef<ReadonlyMap<unknown, unknown>>;
  readonly replaced: ReadonlyMap<unknown, unknown>;
}

const lineages = new WeakMap<ReadonlyMap<unknown, unknown>, Lineage>();

/** The replacements that turned plain map `from` into plain map `to`, when `to` is a copy made from `from`. */
function replacedBetween(from: ReadonlyMap<unknown, unknown>, to: ReadonlyMap<unknown, unknown>): ReadonlyMap<unknown, unknown> | undefined {
  const lineage = lineages.get(to);
  return lineage?.base.deref() === from ? lineage.replaced : undefined;
}

export class PatchedMap<K, V> implements ReadonlyMap<K, V> {
  readonly #base: ReadonlyMap<K, V>;
  readonly #replaced: ReadonlyMap<K, V>;

  private constructor(base: ReadonlyMap<K, V>, replaced: ReadonlyMap<K, V>) {
    this.#base = base;
    this.#replaced = replaced;
  }

  /** The plain map under `map` and the values replaced over it (none for a plain map). */
  static #parts<K, V>(map: ReadonlyMap<K, V>): readonly [ReadonlyMap<K, V>, ReadonlyMap<K, V>] {
    return map instanceof PatchedMap ? [(map as PatchedMap<K, V>).#base, (map as PatchedMap<K, V>).#replaced] : [map, new Map<K, V>()];
  }

  /**
   * `base` with the values of `replaced`, whose keys must all be in `base` (callers add or remove
   * keys by building a new map). The same order and keys as `base`.
   */
  static of<K, V>(base: ReadonlyMap<K, V>, replaced: ReadonlyMap<K, V>): ReadonlyMap<K, V> {
    if (replaced.size === 0) return base;
    const [root, before] = PatchedMap.#parts(base);
    const merged = new Map(before);
    replaced.forEach((value, key) => {
      if (!root.has(key)) throw new Error('PatchedMap: a replaced key is not in the map');
      merged.set(key, value);
    });
    if (merged.size <= MAX_REPLACEMENTS) return new PatchedMap(root, merged);
    const copy = new Map<K, V>();
    root.forEach((value, key) => { copy.set(key, merged.has(key) ? (merged.get(key) as V) : value); });
    lineages.set(copy, { base: new WeakRef(root), replaced: merged });
    return copy;
  }

  /**
   * The keys whose values differ between two maps that are patches of one map (or that map
   * itself), or of a map and the copy one of its patches became, found in proportion to their
   * replacements; undefined for other maps (compare them in full). Both have the same keys.
   */
  static differences<K, V>(a: ReadonlyMap<K, V>, b: ReadonlyMap<K, V>): K[] | undefined {
    const [rootA, replacedA] = PatchedMap.#parts(a);
    const [rootB, replacedB] = PatchedMap.#parts(b);
    const between = rootA === rootB ? new Map<K, V>() : ((replacedBetween(rootA, rootB) ?? replacedBetween(rootB, rootA)) as ReadonlyMap<K, V> | undefined);
    if (between === undefined) return undefined;
    const keys = new Set([...replacedA.keys(), ...between.keys(), ...replacedB.keys()]);
    return [...keys].filter((key) => a.get(key) !== b.get(key));
  }

  get size(): number {
    return this.#base.size;
  }

  has(key: K): boolean {
    return this.#base.has(key);
  }

  get(key: K): V | undefined {
    return this.#replaced.has(key) ? this.#replaced.get(key) : this.#base.get(key);
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    this.#base.forEach((value, key) => { callback.call(thisArg, this.#valueAt(key, value), key, this); });
  }

  *entries(): MapIterator<[K, V]> {
    for (const [key, value] of this.#base) yield [key, this.#valueAt(key, value)];
  }

  keys(): MapIterator<K> {
    return this.#base.keys();
  }

  *values(): MapIterator<V> {
    for (const [key, value] of this.#base) yield this.#valueAt(key, value);
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  /** The value at `key`, whose value in the base is `value`. */
  #valueAt(key: K, value: V): V {
    return this.#replaced.has(key) ? (this.#replaced.get(key) as V) : value;
  }
}
