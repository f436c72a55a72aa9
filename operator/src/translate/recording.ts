/**
 * A ResourceSet that records what a translation step read of it, so the step's result can be
 * reused while every one of those reads would answer the same (incremental translation).
 * `get` records the object's identity, `has` only existence; iterating a kind depends on the
 * whole kind (its map's identity). EndpointSlices are read by Service through slicesOf().
 */
import { CORE_KINDS, TURNPIKE_KINDS, type Kind, type KubeObject, type ResourceSet } from '../resources/resourceset';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

type Index = ReadonlyMap<string, readonly KubeObject[]>;
const indexes = new WeakMap<ReadonlyMap<string, KubeObject>, Index>();
const NONE: readonly KubeObject[] = Object.freeze([]);

/** EndpointSlices by `namespace/service`, built once per EndpointSlice map. */
function sliceIndex(slices: ReadonlyMap<string, KubeObject>): Index {
  let index = indexes.get(slices);
  if (index === undefined) {
    const built = new Map<string, KubeObject[]>();
    for (const slice of slices.values()) {
      const service = slice.metadata.labels?.[SERVICE_NAME_LABEL];
      if (service === undefined) continue;
      const key = `${slice.metadata.namespace ?? 'default'}/${service}`;
      built.set(key, [...(built.get(key) ?? []), slice]);
    }
    index = built;
    indexes.set(slices, index);
  }
  return index;
}

/** A dependency: what one read answered. */
type Read =
  | { readonly kind: Kind; readonly key: string; readonly how: 'get'; readonly answer: KubeObject | undefined }
  | { readonly kind: Kind; readonly key: string; readonly how: 'has'; readonly answer: boolean }
  | { readonly kind: 'EndpointSlice'; readonly key: string; readonly how: 'slices'; readonly answer: readonly KubeObject[] }
  | { readonly kind: Kind; readonly key: ''; readonly how: 'all'; readonly answer: ReadonlyMap<string, KubeObject> };

export type Reads = readonly Read[];

const sameList = (a: readonly KubeObject[], b: readonly KubeObject[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** True while every read of `reads` gives the same answer in `set`. */
export function readsHold(reads: Reads, set: ResourceSet): boolean {
  return reads.every((read) => {
    const map = set[read.kind];
    switch (read.how) {
      case 'get': return map.get(read.key) === read.answer;
      case 'has': return map.has(read.key) === read.answer;
      case 'slices': return sameList(sliceIndex(map).get(read.key) ?? NONE, read.answer);
      default: return map === read.answer;
    }
  });
}

class RecordingMap implements ReadonlyMap<string, KubeObject> {
  constructor(readonly kind: Kind, readonly inner: ReadonlyMap<string, KubeObject>, private readonly reads: Read[]) {}

  get size(): number { return this.whole().size; }
  get(key: string): KubeObject | undefined {
    const answer = this.inner.get(key);
    this.reads.push({ kind: this.kind, key, how: 'get', answer });
    return answer;
  }
  has(key: string): boolean {
    const answer = this.inner.has(key);
    this.reads.push({ kind: this.kind, key, how: 'has', answer });
    return answer;
  }
  forEach(callback: (value: KubeObject, key: string, map: ReadonlyMap<string, KubeObject>) => void): void {
    this.whole().forEach((value, key) => { callback(value, key, this); });
  }
  entries(): MapIterator<[string, KubeObject]> { return this.whole().entries(); }
  keys(): MapIterator<string> { return this.whole().keys(); }
  values(): MapIterator<KubeObject> { return this.whole().values(); }
  [Symbol.iterator](): MapIterator<[string, KubeObject]> { return this.whole().entries(); }
  slices(key: string): readonly KubeObject[] {
    const answer = sliceIndex(this.inner).get(key) ?? NONE;
    this.reads.push({ kind: 'EndpointSlice', key, how: 'slices', answer });
    return answer;
  }
  private whole(): ReadonlyMap<string, KubeObject> {
    this.reads.push({ kind: this.kind, key: '', how: 'all', answer: this.inner });
    return this.inner;
  }
}

/** The EndpointSlices of one Service (namespace, `kubernetes.io/service-name` label). */
export function slicesOf(set: ResourceSet, namespace: string, service: string): readonly KubeObject[] {
  const slices = set.EndpointSlice;
  const key = `${namespace}/${service}`;
  return slices instanceof RecordingMap ? slices.slices(key) : sliceIndex(slices).get(key) ?? NONE;
}

/** Runs `step` against a recording view of `set`; returns its result and what it read. */
export function recorded<T>(set: ResourceSet, step: (set: ResourceSet) => T): { readonly value: T; readonly reads: Reads } {
  const reads: Read[] = [];
  const view = {} as Record<Kind, ReadonlyMap<string, KubeObject>>;
  for (const kind of [...TURNPIKE_KINDS, ...CORE_KINDS]) view[kind] = new RecordingMap(kind, set[kind], reads);
  const value = step(view);
  return { value, reads };
}
