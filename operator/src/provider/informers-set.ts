/**
 * Pure half of the informers provider: which resources are watched, where, and how cached
 * objects become one immutable, deterministic ResourceSet. No I/O here.
 */
import { GROUP, PLURALS, VERSION } from '../api';
import { CORE_KINDS, TURNPIKE_KINDS, objectKey, recordPatch, type KubeObject, type Kind, type ResourceSet } from '../resources/resourceset';
import { isRecord } from '../json';
import { objectPath } from '../kube/client';
import { PatchedMap } from '../resources/patched-map';

/** One watched resource type. `group` is '' for the core API. */
export interface ResourceDescriptor {
  readonly kind: Kind;
  readonly group: string;
  readonly version: string;
  readonly plural: string;
}

export const DESCRIPTORS: readonly ResourceDescriptor[] = [
  ...TURNPIKE_KINDS.map((kind) => ({ kind, group: GROUP, version: VERSION, plural: PLURALS[kind] })),
  { kind: 'Secret', group: '', version: 'v1', plural: 'secrets' },
  { kind: 'Service', group: '', version: 'v1', plural: 'services' },
  { kind: 'EndpointSlice', group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices' },
];

function apiVersionOf(descriptor: ResourceDescriptor): string {
  return descriptor.group === '' ? descriptor.version : `${descriptor.group}/${descriptor.version}`;
}

/** REST path of a collection, cluster-wide or in one namespace (list and watch share it). */
export function collectionPath(descriptor: ResourceDescriptor, namespace?: string): string {
  return objectPath(descriptor, namespace);
}

/**
 * Secret types Turnpike never reads (it uses Opaque credentials and kubernetes.io/tls
 * certificates). Excluding them server-side keeps service-account tokens, registry credentials
 * and Helm release blobs (large, numerous) out of the operator's memory altogether.
 */
export const IGNORED_SECRET_TYPES = [
  'kubernetes.io/service-account-token',
  'kubernetes.io/dockercfg',
  'kubernetes.io/dockerconfigjson',
  'kubernetes.io/basic-auth',
  'kubernetes.io/ssh-auth',
  'bootstrap.kubernetes.io/token',
  'helm.sh/release.v1',
] as const;

export const DEFAULT_SECRET_FIELD_SELECTOR = IGNORED_SECRET_TYPES.map((type) => `type!=${type}`).join(',');

const deepFreeze = <T>(value: T): T => {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const field of Object.values(value)) deepFreeze(field);
  }
  return value;
};

type Json = Record<string, unknown>;

/** kubectl's copy of the whole applied object: as large as the object, and never read. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

type Replacer = (this: unknown, key: string, value: unknown) => unknown;

/**
 * What the cache leaves out of an object: managedFields and kubectl's last-applied annotation
 * (large, never read), and the status of core objects (only Turnpike statuses are written and read).
 */
function unreadFields(kind: Kind, raw: Json): Replacer {
  const meta = isRecord(raw.metadata) ? raw.metadata : undefined;
  const annotations = isRecord(meta?.annotations) ? meta.annotations : undefined;
  const core = kind === 'Secret' || kind === 'Service' || kind === 'EndpointSlice';
  return function unread(key, value) {
    if ((this === meta && key === 'managedFields') || (this === annotations && key === LAST_APPLIED)) return undefined;
    return core && this === raw && key === 'status' ? undefined : value;
  };
}

/**
 * Fields whose values repeat across objects: kind and version, namespaces, the conditions of every
 * status (the same messages and reasons, timestamps of the same second), and the Api fields that
 * are enums. JSON.parse makes a new string for every value; at 10,000 Apis these repeats were
 * ≈ 5 MiB of the operator's heap. Interned through a bounded table, so unique values that slip
 * through cost at most its size.
 */
const REPEATED_FIELDS: ReadonlySet<string> = new Set([
  'apiVersion', 'kind', 'namespace', 'type', 'status', 'reason', 'message', 'lastTransitionTime',
  'method', 'matchMode', 'protocol',
]);
const INTERN_LIMIT = 20_000;
const interned = new Map<string, string>();

function internRepeated(key: string, value: unknown): unknown {
  if (typeof value !== 'string' || value.length > 120 || !REPEATED_FIELDS.has(key)) return value;
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size < INTERN_LIMIT) interned.set(value, value);
  return value;
}

/** Of each EndpointSlice endpoint, only its addresses and ready condition are read (translate/backend.ts). */
function slimEndpoints(endpoints: unknown[]): unknown[] {
  return endpoints.map((endpoint) => {
    if (!isRecord(endpoint)) return endpoint;
    const ready = isRecord(endpoint.conditions) ? endpoint.conditions.ready : undefined;
    return { ...(endpoint.addresses === undefined ? {} : { addresses: endpoint.addresses }), ...(ready === undefined ? {} : { conditions: { ready } }) };
  });
}

/**
 * A cached object as the operator sees it: apiVersion and kind always set (list items of
 * built-in types omit them), unread fields left out (unreadFields), timestamps as strings, deeply
 * frozen. Returns undefined for anything without a name.
 */
export function normalise(descriptor: ResourceDescriptor, raw: unknown): KubeObject | undefined {
  if (!isRecord(raw)) return undefined;
  // A JSON round trip turns typed client objects (Dates, class instances) into plain data. The
  // copy is only ever added to, never deleted from or spread: either would give each cached
  // object a hidden class of its own in V8 (about 1 KiB per object).
  const plain = JSON.parse(JSON.stringify(raw, unreadFields(descriptor.kind, raw)), internRepeated) as unknown;
  if (!isRecord(plain) || !isRecord(plain.metadata) || typeof plain.metadata.name !== 'string') return undefined;
  if (descriptor.kind === 'EndpointSlice' && Array.isArray(plain.endpoints)) plain.endpoints = slimEndpoints(plain.endpoints);
  plain.apiVersion = apiVersionOf(descriptor);
  plain.kind = descriptor.kind;
  return deepFreeze(plain) as unknown as KubeObject;
}

/** Builds the complete set; keys are sorted so the set does not depend on event order. */
export function buildResourceSet(objects: ReadonlyMap<Kind, readonly KubeObject[]>): ResourceSet {
  const set = {} as Record<Kind, ReadonlyMap<string, KubeObject>>;
  for (const kind of [...TURNPIKE_KINDS, ...CORE_KINDS]) set[kind] = sortedMap(objects.get(kind) ?? []);
  return Object.freeze(set);
}

function sortedMap(objects: readonly KubeObject[]): ReadonlyMap<string, KubeObject> {
  const entries = objects.map((object) => [objectKey(object.metadata.namespace, object.metadata.name), object] as const);
  return new Map(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Changes of one kind since the previous set, by key: the object, or undefined once deleted. */
export type KindChanges = ReadonlyMap<string, KubeObject | undefined>;

/**
 * The next set from the previous one and what changed, equal to buildResourceSet over the caches
 * but in proportion to the change: an unchanged kind keeps its map, updates of existing objects
 * patch it (PatchedMap: same order, nothing copied), and only a kind with additions or deletions
 * is rebuilt (`objects`) and sorted again. The keys it changed are recorded with the new set (changedKeys).
 */
export function patchResourceSet(previous: ResourceSet, changes: ReadonlyMap<Kind, KindChanges>, objects: (kind: Kind) => readonly KubeObject[]): ResourceSet {
  const set = { ...previous } as Record<Kind, ReadonlyMap<string, KubeObject>>;
  const keys = new Map<Kind, ReadonlySet<string>>();
  for (const [kind, changed] of changes) {
    if (changed.size === 0) continue;
    keys.set(kind, new Set(changed.keys()));
    const before = previous[kind];
    const updatesOnly = [...changed].every(([key, object]) => object !== undefined && before.has(key));
    if (!updatesOnly) {
      set[kind] = sortedMap(objects(kind));
      continue;
    }
    set[kind] = PatchedMap.of(before, changed as ReadonlyMap<string, KubeObject>);
  }
  const patched = Object.freeze(set);
  recordPatch(patched, previous, keys);
  return patched;
}
