// A RouteConfiguration is encoded in parts and spliced: its own fields, then each virtual host (its
// own fields, then its routes), each route encoded on its own. Protobuf takes a message's fields in
// any order and a repeated field as consecutive entries, so the result is a valid encoding, and a
// deterministic one: the same JSON gives the same bytes, whether parts were reused or not.
//
// A route whose JSON is the same as one in the previous encoding of its RouteConfiguration (same
// name) is not encoded again: its bytes are taken from that encoding. An edit of one Api encodes
// one route instead of its group's every route, on each listener side; at 10,000 Apis in 500
// groups that was most of an edit's CPU in the snapshot, and most of what it allocated.
//
// What is kept per RouteConfiguration: each route's content hash, its place in the encoding (which
// the snapshot holds anyway) and its references. Never the JSON (see LazyJson).
import { hash } from 'node:crypto';
import { isJsonObject, ProtoError, TYPE_URLS, type JsonObject, type ProtoRegistry } from '../proto';
import { referencesOf, type Reference } from './references';

const VIRTUAL_HOST = 'type.googleapis.com/envoy.config.route.v3.VirtualHost';
const ROUTE = 'type.googleapis.com/envoy.config.route.v3.Route';
/** The tags of RouteConfiguration.virtual_hosts (2) and VirtualHost.routes (3), length-delimited. */
const VIRTUAL_HOSTS_TAG = (2 << 3) | 2;
const ROUTES_TAG = (3 << 3) | 2;

/**
 * A kept encoding, compact (1,000 of them at 10,000 Apis): route k's content key is `keys[k]`, its
 * bytes `bytes[ranges[2k], ranges[2k + 1])`, its references (paths from the route) `references[k]`.
 */
interface Kept {
  readonly bytes: Uint8Array;
  readonly keys: readonly string[];
  readonly ranges: Uint32Array;
  readonly references: readonly (readonly Reference[])[];
}

const NO_REFERENCES: readonly Reference[] = Object.freeze([]);

/** Where route `route` of virtual host `host` sits in its RouteConfiguration. */
const routePath = (host: number, route: number): string => `virtual_hosts[${host}].routes[${route}]`;

/**
 * A route's reference as its RouteConfiguration's: the path from the configuration is rendered
 * only when read (a dangling reference's message). A RouteConfiguration holds one per route that
 * names a cluster, 20,000 at 10,000 Apis, so each rendered path kept was a string per route.
 */
class RouteReference implements Reference {
  constructor(private readonly ref: Reference, private readonly host: number, private readonly route: number) {}

  get typeUrl(): string {
    return this.ref.typeUrl;
  }

  get name(): string {
    return this.ref.name;
  }

  get path(): string {
    return under(routePath(this.host, this.route), this.ref.path);
  }
}

/**
 * A route's content key: the SHA-256 of its JSON, as a 32-character string. One-shot `hash`: a
 * Hash object per route would hold native memory until collected (20,000 of them at a start).
 */
function contentKey(route: unknown): string {
  return hash('sha256', JSON.stringify(route), 'binary');
}

export interface SplicedEncoding {
  readonly bytes: Uint8Array;
  /** The encoded `name` field, for the caller's check against the resource's key. */
  readonly name: unknown;
  readonly references: readonly Reference[];
}

/** A length-delimited field's tag and length. */
function frame(tag: number, length: number): number[] {
  return [tag, ...varint(length)];
}

/** The bytes an encoding takes as a length-delimited field (one-byte tag). */
function framedLength(bytes: Uint8Array): number {
  return 1 + varint(bytes.length).length + bytes.length;
}

function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
  return out;
}

const under = (prefix: string, path: string): string => (path === '' ? prefix : path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`);

function without(json: Readonly<Record<string, unknown>>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json).filter(([k]) => k !== key));
}

/** Byte chunks (encodings, tags and lengths) laid end to end. */
class Splice {
  readonly #chunks: (Uint8Array | readonly number[])[] = [];
  #length = 0;

  /** Appends a chunk; returns where it starts. */
  add(chunk: Uint8Array | readonly number[]): number {
    const at = this.#length;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    return at;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

export class RouteConfigurationEncoder {
  readonly #kept = new Map<string, Kept>();

  constructor(private readonly registry: ProtoRegistry) {}

  /**
   * The RouteConfiguration `json` keyed `name`, encoded; undefined when its virtual hosts are not
   * lists of objects with lists of routes (the caller encodes it whole and reports the fault).
   * Throws ProtoError, with the path into `json`, when a part does not encode.
   */
  encode(name: string, json: JsonObject): SplicedEncoding | undefined {
    const hosts = json['virtual_hosts'] ?? [];
    if (!Array.isArray(hosts) || 'virtualHosts' in json) return undefined;
    if (!hosts.every((host) => isJsonObject(host) && Array.isArray(host['routes'] ?? []))) return undefined;

    const kept = this.#kept.get(name);
    const reusable = new Map(kept?.keys.map((key, k) => [key, k]));
    const head = this.#part(TYPE_URLS.routeConfiguration, without(json, 'virtual_hosts'), '');
    const references = [...head.references];
    const splice = new Splice();
    splice.add(head.bytes);
    const keys: string[] = [];
    const ranges: number[] = [];
    const routeReferences: (readonly Reference[])[] = [];
    (hosts as readonly Record<string, unknown>[]).forEach((host, i) => {
      const own = this.#part(VIRTUAL_HOST, without(host, 'routes'), `virtual_hosts[${i}]`);
      references.push(...own.references);
      const routes = ((host['routes'] ?? []) as readonly unknown[]).map((route, j) => this.#route(route, i, j, kept, reusable));
      // The host's own fields, then its routes, each with its tag and length.
      splice.add(frame(VIRTUAL_HOSTS_TAG, routes.reduce((n, route) => n + framedLength(route.bytes), own.bytes.length)));
      splice.add(own.bytes);
      for (const route of routes) {
        splice.add(frame(ROUTES_TAG, route.bytes.length));
        const start = splice.add(route.bytes);
        keys.push(route.key);
        ranges.push(start, start + route.bytes.length);
        routeReferences.push(route.references);
        for (const ref of route.references) references.push(new RouteReference(ref, route.host, route.index));
      }
    });
    const bytes = splice.bytes();
    this.#kept.set(name, { bytes, keys, ranges: Uint32Array.from(ranges), references: routeReferences });
    return { bytes, name: head.name, references };
  }

  /** Route `index` of virtual host `host`: its bytes and references (from the route), kept when its JSON is, else encoded now. */
  #route(route: unknown, host: number, index: number, kept: Kept | undefined, reusable: ReadonlyMap<string, number>): { key: string; host: number; index: number; bytes: Uint8Array; references: readonly Reference[] } {
    const key = contentKey(route);
    const k = reusable.get(key);
    if (kept !== undefined && k !== undefined) {
      return { key, host, index, bytes: kept.bytes.subarray(kept.ranges[2 * k], kept.ranges[2 * k + 1]), references: kept.references[k] ?? NO_REFERENCES };
    }
    const encoded = this.#part(ROUTE, route, routePath(host, index), false);
    return { key, host, index, bytes: encoded.bytes, references: encoded.references.length === 0 ? NO_REFERENCES : encoded.references };
  }

  /** Forgets the RouteConfigurations not in `names` (call when the served names changed). */
  retain(names: ReadonlyMap<string, unknown>): void {
    for (const name of this.#kept.keys()) if (!names.has(name)) this.#kept.delete(name);
  }

  /**
   * One part: its bytes, its `name` and its references (paths prefixed with `at`, unless `prefix`
   * is false: a route's are kept relative to it). A ProtoError names the path from the resource.
   */
  #part(typeUrl: string, json: unknown, at: string, prefix = true): { bytes: Uint8Array; name: unknown; references: readonly Reference[] } {
    if (!isJsonObject(json)) throw new ProtoError('XDS_PROTO_INVALID_JSON', at, 'expected an object');
    try {
      const { any, messages } = this.registry.encodeVisiting(typeUrl, json as JsonObject);
      const found = referencesOf(typeUrl, messages);
      const references = prefix && at !== '' ? found.map((ref) => ({ ...ref, path: under(at, ref.path) })) : found;
      return { bytes: any.value, name: messages[0]?.plain['name'], references };
    } catch (err: unknown) {
      if (!(err instanceof ProtoError) || at === '') throw err;
      throw new ProtoError(err.code, under(at, err.path), err.detail);
    }
  }
}
