// Encodes translator output into an immutable Snapshot and runs the validation gate.
import { isJsonObject, ProtoError, TYPE_URLS, type JsonObject, type ProtoRegistry } from '../proto';
import { resourceHash, versionOf } from './hash';
import { referencesOf } from './references';
import { typeSnapshot, type ResourceInput, type Snapshot, type SnapshotResource, type TypeSnapshot } from './types';

export type SnapshotProblemKind = 'encoding' | 'name-mismatch' | 'dangling-reference';

/** Why a snapshot was rejected; one entry per offending resource and cause. */
export interface SnapshotProblem {
  readonly kind: SnapshotProblemKind;
  readonly typeUrl: string;
  readonly name: string;
  readonly message: string;
  /** JSON path inside the resource, when known. */
  readonly path?: string;
  /** For dangling references: what is missing. */
  readonly missing?: { readonly typeUrl: string; readonly name: string };
}

export type BuildResult =
  | { readonly ok: true; readonly snapshot: Snapshot }
  | { readonly ok: false; readonly problems: readonly SnapshotProblem[] };

export interface BuildOptions {
  readonly registry: ProtoRegistry;
  /** Names that exist outside ADS (bootstrap static clusters/secrets), per type URL. */
  readonly externalResources?: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The field holding a resource's own name, per type (default `name`). */
const NAME_FIELDS: Readonly<Record<string, string>> = { [TYPE_URLS.clusterLoadAssignment]: 'cluster_name' };

function encodeOne(registry: ProtoRegistry, typeUrl: string, name: string, json: JsonObject): SnapshotResource | SnapshotProblem {
  try {
    const any = registry.encode(typeUrl, json);
    const canonical = registry.decode(any);
    const nameField = NAME_FIELDS[typeUrl] ?? 'name';
    const own = canonical[nameField];
    if (registry.typeOf(typeUrl).fields[nameField] !== undefined && own !== name) {
      return { kind: 'name-mismatch', typeUrl, name, path: nameField, message: `${shortType(typeUrl)} "${name}": keyed "${name}" but its ${nameField} is ${JSON.stringify(own ?? '')}` };
    }
    const references = Object.freeze(referencesOf(typeUrl, canonical));
    return Object.freeze({ typeUrl, name, hash: resourceHash(typeUrl, any.value), any, json: canonical, references });
  } catch (err: unknown) {
    if (!(err instanceof ProtoError)) throw err;
    return { kind: 'encoding', typeUrl, name, path: err.path, message: `${shortType(typeUrl)} "${name}": ${err.code}: ${err.message}` };
  }
}

function isProblem(value: SnapshotResource | SnapshotProblem): value is SnapshotProblem {
  return 'kind' in value;
}

function encodeAll(input: ResourceInput, registry: ProtoRegistry, problems: SnapshotProblem[]): Map<string, TypeSnapshot> {
  const types = new Map<string, TypeSnapshot>();
  for (const typeUrl of [...input.keys()].sort()) {
    const resources = new Map<string, SnapshotResource>();
    for (const [name, json] of [...(input.get(typeUrl) ?? new Map<string, JsonObject>())].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (!isJsonObject(json)) {
        problems.push({ kind: 'encoding', typeUrl, name, message: `${shortType(typeUrl)} "${name}": not a JSON object` });
        continue;
      }
      const encoded = encodeOne(registry, typeUrl, name, json);
      if (isProblem(encoded)) problems.push(encoded);
      else resources.set(name, encoded);
    }
    if (resources.size > 0) types.set(typeUrl, typeSnapshot(typeUrl, resources));
  }
  return types;
}

function checkReferences(types: ReadonlyMap<string, TypeSnapshot>, options: BuildOptions, problems: SnapshotProblem[]): void {
  const exists = (typeUrl: string, name: string): boolean =>
    types.get(typeUrl)?.resources.has(name) === true || options.externalResources?.get(typeUrl)?.has(name) === true;
  for (const type of types.values()) {
    for (const resource of type.resources.values()) {
      for (const ref of resource.references) {
        if (exists(ref.typeUrl, ref.name)) continue;
        problems.push({
          kind: 'dangling-reference', typeUrl: type.typeUrl, name: resource.name, path: ref.path,
          missing: { typeUrl: ref.typeUrl, name: ref.name },
          message: `${shortType(type.typeUrl)} "${resource.name}" references ${shortType(ref.typeUrl)} "${ref.name}" (${ref.path}), which is not in the snapshot`,
        });
      }
    }
  }
}

function shortType(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf('.') + 1);
}

/** Encodes, hashes and validates one fleet's resources. Deterministic: equal input, equal version. */
export function buildSnapshot(fleet: string, input: ResourceInput, options: BuildOptions): BuildResult {
  const problems: SnapshotProblem[] = [];
  const types = encodeAll(input, options.registry, problems);
  checkReferences(types, options, problems);
  if (problems.length > 0) return { ok: false, problems };
  const version = versionOf([...types.values()].map((t) => [t.typeUrl, t.version] as const));
  return { ok: true, snapshot: Object.freeze({ fleet, version, types }) };
}
