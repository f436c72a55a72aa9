/**
 * The world as the operator sees it: every Turnpike object plus the core objects they reference,
 * from informers (cluster mode) or from YAML files (standalone mode). Translation is a pure
 * function of one ResourceSet.
 */

import type { ObjectMeta } from '../api/types';

export type { ObjectMeta };

/** Any Kubernetes object as decoded from JSON or YAML; specs are validated by the kind modules. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
  readonly spec?: unknown;
  readonly status?: unknown;
  /** Secrets: base64 values. */
  readonly data?: Readonly<Record<string, string>>;
  /** Secrets written by hand (files mode): plain values. */
  readonly stringData?: Readonly<Record<string, string>>;
  /** Secrets: the type, e.g. kubernetes.io/tls. */
  readonly type?: string;
  /** EndpointSlices. */
  readonly endpoints?: unknown;
  readonly ports?: unknown;
  readonly addressType?: string;
}

const TURNPIKE_API_VERSION = 'turnpike.dev/v1alpha1';

/** The kinds the operator reads: its own, then the core ones they reference. */
export const TURNPIKE_KINDS = ['ApiGroup', 'Api', 'App', 'ThrottlePolicy', 'AclPolicy', 'SignatureKey'] as const;
export const CORE_KINDS = ['Secret', 'Service', 'EndpointSlice'] as const;
export type TurnpikeKind = (typeof TURNPIKE_KINDS)[number];
export type CoreKind = (typeof CORE_KINDS)[number];
export type Kind = TurnpikeKind | CoreKind;

/** `namespace/name`, the key of every object in a ResourceSet. */
export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? 'default'}/${name}`;
}

/** Objects of every kind by `namespace/name`. Immutable once built. */
export type ResourceSet = Readonly<Record<Kind, ReadonlyMap<string, KubeObject>>>;

/** Per kind, the keys of the objects added, replaced or removed between two sets. */
export type ChangedKeys = ReadonlyMap<Kind, ReadonlySet<string>>;

/**
 * Sets made by patching another (patchResourceSet): the set patched and what the patch changed.
 * The set patched is held weakly: otherwise every set would keep all the sets before it alive.
 */
const patches = new WeakMap<ResourceSet, { readonly base: WeakRef<ResourceSet>; readonly keys: ChangedKeys }>();

/** Records that `set` is `base` with the objects at `keys` changed, so consumers can follow it in proportion to the change. */
export function recordPatch(set: ResourceSet, base: ResourceSet, keys: ChangedKeys): void {
  patches.set(set, { base: new WeakRef(base), keys });
}

/**
 * What changed from `base` to `set`, when `set` was made by patching `base`; otherwise undefined,
 * and a consumer that needs to know compares the two in full.
 */
export function changedKeys(set: ResourceSet, base: ResourceSet | undefined): ChangedKeys | undefined {
  const patch = patches.get(set);
  return patch !== undefined && base !== undefined && patch.base.deref() === base ? patch.keys : undefined;
}

const API_VERSIONS: Readonly<Record<Kind, string>> = {
  ApiGroup: TURNPIKE_API_VERSION, Api: TURNPIKE_API_VERSION, App: TURNPIKE_API_VERSION,
  ThrottlePolicy: TURNPIKE_API_VERSION, AclPolicy: TURNPIKE_API_VERSION, SignatureKey: TURNPIKE_API_VERSION,
  Secret: 'v1', Service: 'v1', EndpointSlice: 'discovery.k8s.io/v1',
};

/** The kind of an object the operator reads, or undefined (another kind, or another group's). */
export function kindOf(object: Pick<KubeObject, 'apiVersion' | 'kind'>): Kind | undefined {
  const kind = object.kind as Kind;
  return API_VERSIONS[kind] === object.apiVersion ? kind : undefined;
}

/** Builds a ResourceSet from a list of objects; objects of other kinds are returned as ignored. */
export function toResourceSet(objects: readonly KubeObject[], defaultNamespace = 'default'): {
  set: ResourceSet;
  ignored: KubeObject[];
} {
  const maps = {} as Record<Kind, Map<string, KubeObject>>;
  for (const kind of [...TURNPIKE_KINDS, ...CORE_KINDS]) maps[kind] = new Map();
  const ignored: KubeObject[] = [];
  for (const object of objects) {
    const kind = kindOf(object);
    if (kind === undefined) {
      ignored.push(object);
      continue;
    }
    const namespace = object.metadata.namespace ?? defaultNamespace;
    const normalised: KubeObject = { ...object, metadata: { ...object.metadata, namespace } };
    maps[kind].set(objectKey(namespace, object.metadata.name), normalised);
  }
  return { set: maps, ignored };
}
