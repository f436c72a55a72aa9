/**
 * Standalone mode's object store: what each manifest file holds, which object is served for each
 * key, and the change set since the last set, so a change to a few files costs in proportion to
 * those files (the informers' incremental path, patchResourceSet, takes it from there).
 *
 * - A key (kind, namespace, name) held by several files is served from the last file in path
 *   order, as a full read of the sorted files would; an object moved between files is an update
 *   (or nothing, when its content did not change), not a deletion and an addition.
 * - Files have no generation counter: the store plays the API server's part. An object keeps its
 *   generation while its content (all but metadata and status) is unchanged and gets the next one
 *   when it changes; an object gone from every file is forgotten (re-added, it starts again from
 *   its manifest's generation, 1 unless given).
 * - An object whose manifest text is unchanged keeps its identity, so translation's memos hit.
 */
import { CORE_KINDS, TURNPIKE_KINDS, kindOf, objectKey, type Kind, type KubeObject, type ResourceSet } from '../resources/resourceset';
import { buildResourceSet, patchResourceSet } from './informers-set';

/** One object as a file holds it: its kind, key and JSON (namespace defaulted). */
interface Held {
  readonly kind: Kind;
  readonly key: string;
  readonly json: string;
}

interface Served {
  readonly object: KubeObject;
  readonly json: string;
}

type Json = Record<string, unknown>;

/** All but metadata and status: what a generation counts. */
const contentOf = (object: Json): string => JSON.stringify(Object.entries(object).filter(([field]) => field !== 'metadata' && field !== 'status'));

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const field of Object.values(value)) deepFreeze(field);
  }
  return value;
};

export class ManifestStore {
  /** File → its objects by `kind|namespace/name`. */
  readonly #files = new Map<string, ReadonlyMap<string, Held>>();
  /** `kind|namespace/name` → the files holding it, in path order. */
  readonly #holders = new Map<string, string[]>();
  /** Kind → `namespace/name` → the object served. */
  readonly #served = new Map<Kind, Map<string, Served>>();
  /** Keys whose served object must be decided again. */
  readonly #touched = new Set<string>();
  #set: ResourceSet | undefined;
  #changed = 0;

  constructor(private readonly defaultNamespace = 'default') {
    for (const kind of [...TURNPIKE_KINDS, ...CORE_KINDS]) this.#served.set(kind, new Map());
  }

  /** The files the store holds objects of (last good content of each). */
  files(): IterableIterator<string> {
    return this.#files.keys();
  }

  /** How many objects the last next() added, changed or deleted. */
  get changed(): number {
    return this.#changed;
  }

  holds(file: string): boolean {
    return this.#files.has(file);
  }

  /**
   * Sets what `file` holds; returns the objects of kinds Turnpike does not read (left out).
   * Objects must carry apiVersion, kind and metadata.name (readManifestFile checks).
   */
  put(file: string, objects: readonly KubeObject[]): KubeObject[] {
    const ignored: KubeObject[] = [];
    const held = new Map<string, Held>();
    for (const object of objects) {
      const kind = kindOf(object);
      if (kind === undefined) {
        ignored.push(object);
        continue;
      }
      const namespace = object.metadata.namespace ?? this.defaultNamespace;
      const json = JSON.stringify({ ...object, metadata: { ...object.metadata, namespace } });
      const key = `${kind}|${objectKey(namespace, object.metadata.name)}`;
      held.set(key, { kind, key, json });
    }
    this.#replace(file, held);
    return ignored;
  }

  /** Forgets `file` (deleted, moved out of the directory, or no longer a manifest). */
  remove(file: string): void {
    this.#replace(file, new Map());
  }

  /**
   * The set after the files put and removed since the last call: the first call builds it,
   * later ones patch the previous set with the keys that changed (the same set object when
   * nothing did).
   */
  next(): ResourceSet {
    const changes = new Map<Kind, Map<string, KubeObject | undefined>>();
    this.#changed = 0;
    for (const key of this.#touched) {
      const change = this.#decide(key);
      if (change === undefined) continue;
      this.#changed += 1;
      const byKey = changes.get(change.kind) ?? new Map<string, KubeObject | undefined>();
      byKey.set(change.name, change.object);
      changes.set(change.kind, byKey);
    }
    this.#touched.clear();
    const objectsOf = (kind: Kind): KubeObject[] => [...(this.#served.get(kind)?.values() ?? [])].map((s) => s.object);
    if (this.#set === undefined) this.#set = buildResourceSet(new Map([...this.#served.keys()].map((kind) => [kind, objectsOf(kind)])));
    else if (changes.size > 0) this.#set = patchResourceSet(this.#set, changes, objectsOf);
    return this.#set;
  }

  #replace(file: string, held: ReadonlyMap<string, Held>): void {
    const before = this.#files.get(file);
    for (const key of before?.keys() ?? []) {
      if (held.has(key)) continue;
      const files = (this.#holders.get(key) ?? []).filter((f) => f !== file);
      if (files.length === 0) this.#holders.delete(key);
      else this.#holders.set(key, files);
      this.#touched.add(key);
    }
    for (const key of held.keys()) {
      const files = this.#holders.get(key) ?? [];
      if (!files.includes(file)) this.#holders.set(key, [...files, file].sort());
      if (before?.get(key)?.json !== held.get(key)?.json) this.#touched.add(key);
    }
    if (held.size === 0) this.#files.delete(file);
    else this.#files.set(file, held);
  }

  /** The object `key` is served from: the one of the last file holding it, in path order. */
  #winner(key: string): Held | undefined {
    const files = this.#holders.get(key);
    return files === undefined ? undefined : this.#files.get(files[files.length - 1] ?? '')?.get(key);
  }

  /** The served object of `key` after the latest puts: a change, or undefined when it is the same. */
  #decide(key: string): { kind: Kind; name: string; object: KubeObject | undefined } | undefined {
    const winner = this.#winner(key);
    const kind = key.slice(0, key.indexOf('|')) as Kind;
    const name = key.slice(key.indexOf('|') + 1);
    const served = this.#served.get(kind);
    const before = served?.get(name);
    if (winner === undefined) {
      if (before === undefined) return undefined;
      served?.delete(name);
      return { kind, name, object: undefined };
    }
    if (before?.json === winner.json) return undefined;
    const object = JSON.parse(winner.json) as Json & { metadata: Json };
    object.metadata.generation = generationOf(object, before?.object);
    const frozen = deepFreeze(object) as unknown as KubeObject;
    served?.set(name, { object: frozen, json: winner.json });
    return { kind, name, object: frozen };
  }
}

/** The generation of `object`, which replaces `before` (if any): the next one when its content changed. */
function generationOf(object: Json & { metadata: Json }, before: KubeObject | undefined): number {
  const given = typeof object.metadata.generation === 'number' ? object.metadata.generation : 1;
  if (before === undefined) return given;
  const last = before.metadata.generation ?? given;
  return contentOf(before as unknown as Json) === contentOf(object) ? last : last + 1;
}
