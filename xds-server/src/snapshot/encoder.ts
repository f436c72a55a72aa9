// Encodes resources one at a time and remembers each outcome per input object. Translators hand
// back the identical object (JSON or LazyJson) for a resource whose inputs did not change, so such
// a resource is built, encoded, walked and hashed once; a WeakMap lets an entry go with its object.
// Contract: a resource object is not mutated once handed over (it would keep its old encoding).
import { isJsonObject, jsonOf, ProtoError, TYPE_URLS, type JsonObject, type ProtoRegistry, type ResourceJson } from '../proto';
import { resourceHash } from './hash';
import { shortType, type SnapshotProblem } from './problems';
import { referencesOf, type Reference } from './references';
import { RouteConfigurationEncoder } from './route-splice';
import type { SnapshotResource } from './types';

export type EncodeOutcome = SnapshotResource | SnapshotProblem;

interface Entry {
  readonly typeUrl: string;
  readonly name: string;
  /** Problems are cached too: they depend only on (object, type, name), and are reported every build. */
  readonly outcome: EncodeOutcome;
}

/** The field holding a resource's own name, per type (default `name`). */
const NAME_FIELDS: Readonly<Record<string, string>> = { [TYPE_URLS.clusterLoadAssignment]: 'cluster_name' };

// Most resources reference nothing; one shared array instead of one per resource.
const NO_REFERENCES: readonly Reference[] = Object.freeze([]);

export function isProblem(value: EncodeOutcome): value is SnapshotProblem {
  return 'kind' in value;
}

/** A resource's bytes, its own name as encoded, and its references. */
interface Encoded {
  readonly bytes: Uint8Array;
  readonly name: unknown;
  readonly references: readonly Reference[];
}

function encodeWhole(registry: ProtoRegistry, typeUrl: string, json: JsonObject, nameField: string): Encoded {
  // Name and references are read from the messages as encoded (proto field names, defaults
  // dropped), not from the input, which may use JSON names; they are not kept.
  const { any, messages } = registry.encodeVisiting(typeUrl, json);
  return { bytes: any.value, name: messages[0]?.plain[nameField], references: referencesOf(typeUrl, messages) };
}

function encodeOne(registry: ProtoRegistry, routes: RouteConfigurationEncoder, typeUrl: string, name: string, json: JsonObject): EncodeOutcome {
  const nameField = NAME_FIELDS[typeUrl] ?? 'name';
  try {
    const encoded = (typeUrl === TYPE_URLS.routeConfiguration ? routes.encode(name, json) : undefined) ?? encodeWhole(registry, typeUrl, json, nameField);
    if (registry.typeOf(typeUrl).fields[nameField] !== undefined && encoded.name !== name) {
      return { kind: 'name-mismatch', typeUrl, name, path: nameField, message: `${shortType(typeUrl)} "${name}": keyed "${name}" but its ${nameField} is ${JSON.stringify(encoded.name ?? '')}` };
    }
    const references = encoded.references.length === 0 ? NO_REFERENCES : Object.freeze(encoded.references);
    const any = { type_url: typeUrl, value: encoded.bytes };
    return Object.freeze({ typeUrl, name, hash: resourceHash(typeUrl, encoded.bytes), any, references });
  } catch (err: unknown) {
    if (!(err instanceof ProtoError)) throw err;
    return { kind: 'encoding', typeUrl, name, path: err.path, message: `${shortType(typeUrl)} "${name}": ${err.code}: ${err.message}` };
  }
}

/** Encodes resources with one registry, remembering outcomes by input object identity. */
export class ResourceEncoder {
  private readonly memo = new WeakMap<ResourceJson, Entry>();
  /** RouteConfigurations are encoded route by route, reusing unchanged routes (route-splice.ts). */
  private readonly routes: RouteConfigurationEncoder;

  constructor(readonly registry: ProtoRegistry) {
    this.routes = new RouteConfigurationEncoder(registry);
  }

  /** The resource `resource` keyed `name` of `typeUrl`, encoded and checked, or why it cannot be. */
  encode(typeUrl: string, name: string, resource: ResourceJson): EncodeOutcome {
    if (!isJsonObject(resource)) {
      return { kind: 'encoding', typeUrl, name, message: `${shortType(typeUrl)} "${name}": not a JSON object` };
    }
    const hit = this.memo.get(resource);
    // The same object keyed differently (another type or name) is a different resource.
    if (hit !== undefined && hit.typeUrl === typeUrl && hit.name === name) return hit.outcome;
    const outcome = encodeOne(this.registry, this.routes, typeUrl, name, jsonOf(resource));
    this.memo.set(resource, { typeUrl, name, outcome });
    return outcome;
  }

  /** Forgets the RouteConfigurations not named in `served` (call when the served names changed). */
  retainRouteConfigurations(served: ReadonlyMap<string, unknown>): void {
    this.routes.retain(served);
  }
}
