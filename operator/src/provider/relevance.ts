/**
 * What translation reads of each object, and a view of the informers' sets that changes only
 * when that does. The operator's own status writes come back through the informers as new
 * objects; translation never reads status, so those must not cost a pass (nor cold memos).
 *
 * The status writer and the credentials controller still get every set: they read
 * resourceVersion, status and uid, which this view deliberately keeps stale.
 */
import { PatchedMap } from '../resources/patched-map';
import { CORE_KINDS, TURNPIKE_KINDS, changedKeys, type Kind, type KubeObject, type ResourceSet } from '../resources/resourceset';

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * Same for translation. Turnpike kinds have the status subresource, so the API server bumps
 * metadata.generation on every spec change and never on a status write; translation reads the
 * spec (through validation), name, namespace, generation and creationTimestamp (age order).
 * The uid catches a delete and re-create within the same second. Without a generation (objects
 * not from an API server) the spec is compared.
 */
function sameTurnpike(a: KubeObject, b: KubeObject): boolean {
  const ma = a.metadata;
  const mb = b.metadata;
  if (ma.generation !== mb.generation || ma.creationTimestamp !== mb.creationTimestamp || ma.uid !== mb.uid) return false;
  if (ma.name !== mb.name || ma.namespace !== mb.namespace) return false;
  return ma.generation !== undefined || JSON.stringify(a.spec) === JSON.stringify(b.spec);
}

const json = (value: unknown): string => JSON.stringify(value);

/** The fields translation reads of each core kind (translate/objects.ts, backend.ts). */
function coreFingerprint(kind: Kind, object: KubeObject): string {
  const meta = [object.metadata.name, object.metadata.namespace ?? '', object.metadata.creationTimestamp ?? ''];
  switch (kind) {
    case 'Secret':
      return json([meta, object.type ?? '', object.data ?? null, object.stringData ?? null]);
    case 'Service':
      return json([meta, (object.spec as { ports?: unknown } | undefined)?.ports ?? null]);
    default:
      return json([meta, object.metadata.labels?.[SERVICE_NAME_LABEL] ?? null, object.addressType ?? null, object.ports ?? null, object.endpoints ?? null]);
  }
}

/** True when translation would read the same from `before` and `after`. */
export function sameForTranslation(kind: Kind, before: KubeObject, after: KubeObject): boolean {
  if (before === after) return true;
  if ((TURNPIKE_KINDS as readonly Kind[]).includes(kind)) return sameTurnpike(before, after);
  return coreFingerprint(kind, before) === coreFingerprint(kind, after);
}

function everySame(kind: Kind, before: ReadonlyMap<string, KubeObject>, after: ReadonlyMap<string, KubeObject>): boolean {
  for (const [key, object] of after) {
    const old = before.get(key);
    if (old === undefined || !sameForTranslation(kind, old, object)) return false;
  }
  return true;
}

/**
 * The objects at `keys` that changed for translation, by key; undefined when a key was added or
 * removed (a key absent from both is no change).
 */
function replacedAt(kind: Kind, before: ReadonlyMap<string, KubeObject>, after: ReadonlyMap<string, KubeObject>, keys: ReadonlySet<string>): Map<string, KubeObject> | undefined {
  const replaced = new Map<string, KubeObject>();
  for (const key of keys) {
    const old = before.get(key);
    const object = after.get(key);
    if (old === undefined && object === undefined) continue;
    if (old === undefined || object === undefined) return undefined;
    if (!sameForTranslation(kind, old, object)) replaced.set(key, object);
  }
  return replaced;
}

/** `after`, with the objects that did not change for translation as they were in `before`. */
function merged(kind: Kind, before: ReadonlyMap<string, KubeObject>, after: ReadonlyMap<string, KubeObject>): ReadonlyMap<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  for (const [key, object] of after) {
    const old = before.get(key);
    out.set(key, old !== undefined && sameForTranslation(kind, old, object) ? old : object);
  }
  return out;
}

/**
 * The view of a kind that changed for translation, or undefined when it did not; `keys`: the keys
 * a patched set changed, the only ones looked at. Most changes are status writes (ours), so it
 * looks before building a map.
 */
function changedView(kind: Kind, before: ReadonlyMap<string, KubeObject>, after: ReadonlyMap<string, KubeObject>, keys: ReadonlySet<string> | undefined): ReadonlyMap<string, KubeObject> | undefined {
  if (keys === undefined) return before.size === after.size && everySame(kind, before, after) ? undefined : merged(kind, before, after);
  const replaced = replacedAt(kind, before, after, keys);
  if (replaced === undefined) return merged(kind, before, after);
  return replaced.size === 0 ? undefined : PatchedMap.of(before, replaced);
}

/**
 * Follows the informers' sets and hands out the one translation should see: objects that did
 * not change for translation keep the identity they had in the previous view (so memos keyed by
 * identity keep hitting), and next() returns undefined when nothing changed at all.
 */
export class TranslationView {
  #current: ResourceSet | undefined;
  /** The last set given: a kind whose map is still the same object did not change. */
  #input: ResourceSet | undefined;

  /** The view of `set`, or undefined when it is the same world as the last view for translation. */
  next(set: ResourceSet): ResourceSet | undefined {
    const previous = this.#current;
    const input = this.#input;
    this.#input = set;
    if (previous === undefined) {
      this.#current = set;
      return set;
    }
    // A set patched from the last one says which keys changed: only those are looked at.
    const patched = changedKeys(set, input);
    let changed = false;
    const view = {} as Record<Kind, ReadonlyMap<string, KubeObject>>;
    for (const kind of [...TURNPIKE_KINDS, ...CORE_KINDS]) {
      const before = previous[kind];
      const after = set[kind];
      const keys = patched?.get(kind);
      if (after === input?.[kind] || (patched !== undefined && keys === undefined)) {
        view[kind] = before;
        continue;
      }
      // An unchanged kind keeps its map too: consumers may compare maps by identity.
      const next = changedView(kind, before, after, keys);
      view[kind] = next ?? before;
      changed ||= next !== undefined;
    }
    if (!changed) return undefined;
    this.#current = Object.freeze(view);
    return this.#current;
  }
}
