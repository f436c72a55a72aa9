/**
 * Objects of one kind oldest first (then namespace/name): older objects win conflicts. The order
 * is kept between passes while no object of the kind is added, removed or re-created, so an edit
 * costs a linear check instead of a sort; a sort parses each creationTimestamp once.
 */
import { objectKey, type Kind, type KubeObject, type ResourceSet } from '../resources/resourceset';

interface Ordered {
  readonly map: ReadonlyMap<string, KubeObject>;
  readonly keys: readonly string[];
  readonly objects: readonly KubeObject[];
}

const keyOf = (object: KubeObject): string => objectKey(object.metadata.namespace, object.metadata.name);
const timeOf = (object: KubeObject): number => {
  const t = object.metadata.creationTimestamp;
  return t === undefined ? 0 : new Date(t).getTime();
};

function sorted(map: ReadonlyMap<string, KubeObject>): Ordered {
  const rows = [...map.values()].map((object) => ({ object, key: keyOf(object), time: timeOf(object) }));
  rows.sort((a, b) => a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { map, keys: rows.map((r) => r.key), objects: rows.map((r) => r.object) };
}

/** The previous order with today's objects, if every key is still there with the same creationTimestamp. */
function reordered(previous: Ordered, map: ReadonlyMap<string, KubeObject>): Ordered | undefined {
  if (previous.map.size !== map.size) return undefined;
  const objects: KubeObject[] = [];
  for (let i = 0; i < previous.keys.length; i += 1) {
    const object = map.get(previous.keys[i] ?? '');
    if (object === undefined || object.metadata.creationTimestamp !== previous.objects[i]?.metadata.creationTimestamp) return undefined;
    objects.push(object);
  }
  return { map, keys: previous.keys, objects };
}

export class AgeOrder {
  readonly #byKind = new Map<Kind, Ordered>();

  of(kind: Kind, set: ResourceSet): readonly KubeObject[] {
    const map = set[kind];
    const previous = this.#byKind.get(kind);
    if (previous?.map === map) return previous.objects;
    const next = (previous === undefined ? undefined : reordered(previous, map)) ?? sorted(map);
    this.#byKind.set(kind, next);
    return next.objects;
  }
}
