// xDS transport messages (proto field names) and their binary codec, built on the proto registry.
import * as protobuf from 'protobufjs';
import { isJsonObject, JsonPath, type EncodedAny, type ProtoRegistry } from '../proto';

export interface NodeInfo {
  readonly id: string;
  /** Envoy's node.cluster: Turnpike's fleet. */
  readonly cluster: string;
  readonly user_agent_name: string;
  /** String values of node.metadata (envoyproxy/ratelimit names its fleet here: `fleet`). */
  readonly metadata?: Readonly<Record<string, string>>;
}

export interface ErrorDetail {
  readonly code: number;
  readonly message: string;
}

export interface DiscoveryRequest {
  readonly version_info: string;
  readonly node: NodeInfo | undefined;
  readonly resource_names: readonly string[];
  readonly type_url: string;
  readonly response_nonce: string;
  readonly error_detail: ErrorDetail | undefined;
}

export interface DiscoveryResponse {
  readonly version_info: string;
  readonly resources: readonly EncodedAny[];
  readonly type_url: string;
  readonly nonce: string;
}

export interface DeltaDiscoveryRequest {
  readonly node: NodeInfo | undefined;
  readonly type_url: string;
  readonly resource_names_subscribe: readonly string[];
  readonly resource_names_unsubscribe: readonly string[];
  readonly initial_resource_versions: ReadonlyMap<string, string>;
  readonly response_nonce: string;
  readonly error_detail: ErrorDetail | undefined;
}

export interface DeltaResource {
  readonly name: string;
  readonly version: string;
  readonly resource: EncodedAny;
}

export interface DeltaDiscoveryResponse {
  readonly system_version_info: string;
  readonly resources: readonly DeltaResource[];
  readonly type_url: string;
  readonly removed_resources: readonly string[];
  readonly nonce: string;
}

const PKG = 'envoy.service.discovery.v3';
type Obj = Readonly<Record<string, unknown>>;

function str(o: Obj, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

function strs(o: Obj, key: string): string[] {
  const v = o[key];
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

function obj(o: Obj, key: string): Obj | undefined {
  const v = o[key];
  return isJsonObject(v) ? v : undefined;
}

/** The string values of a google.protobuf.Struct (as protobufjs' toObject gives it). */
function stringFields(struct: Obj | undefined): Record<string, string> {
  const fields = struct === undefined ? undefined : obj(struct, 'fields');
  if (fields === undefined) return {};
  const out: Record<string, string> = {};
  for (const key of Object.keys(fields)) {
    const value = obj(fields, key);
    if (value !== undefined && typeof value['stringValue'] === 'string') out[key] = value['stringValue'];
  }
  return out;
}

function node(o: Obj): NodeInfo | undefined {
  const n = obj(o, 'node');
  if (n === undefined) return undefined;
  return { id: str(n, 'id'), cluster: str(n, 'cluster'), user_agent_name: str(n, 'user_agent_name'), metadata: stringFields(obj(n, 'metadata')) };
}

function errorDetail(o: Obj): ErrorDetail | undefined {
  const e = obj(o, 'error_detail');
  if (e === undefined) return undefined;
  return { code: typeof e['code'] === 'number' ? e['code'] : 0, message: str(e, 'message') };
}

/** Where the request types as decoded here live, beside the real ones in the registry's root. */
const DECODED = 'turnpike.ads.decoded';

/**
 * Request type `name` as this codec decodes it: its `node` a Node of only the fields read here.
 * Envoy sends its whole Node on every request of a Delta stream (seen with Envoy 1.36 despite
 * set_node_on_first_message_only), 45–60 KB, most of it the list of its extensions; decoding
 * all of it was most of the work and the garbage of each ACK, from every Envoy on every push.
 */
function decodedRequestType(root: protobuf.Root, name: string): protobuf.Type {
  const existing = root.lookup(`${DECODED}.${name}`);
  if (existing instanceof protobuf.Type) return existing;
  const namespace = root.define(DECODED);
  if (namespace.get('Node') === null) {
    namespace.add(new protobuf.Type('Node')
      .add(new protobuf.Field('id', 1, 'string'))
      .add(new protobuf.Field('cluster', 2, 'string'))
      .add(new protobuf.Field('metadata', 3, '.google.protobuf.Struct'))
      .add(new protobuf.Field('user_agent_name', 6, 'string')));
  }
  const full = root.lookupType(`${PKG}.${name}`);
  full.resolveAll();
  const decoded = new protobuf.Type(name);
  for (const field of full.fieldsArray) {
    const type = field.name === 'node' ? `.${DECODED}.Node` : field.resolvedType?.fullName ?? field.type;
    decoded.add(field instanceof protobuf.MapField
      ? new protobuf.MapField(field.name, field.id, field.keyType, type)
      : new protobuf.Field(field.name, field.id, type, field.repeated ? 'repeated' : undefined));
  }
  namespace.add(decoded);
  decoded.resolveAll();
  return decoded;
}

/** Binary codec for the four ADS messages. */
export class XdsCodec {
  private readonly request: protobuf.Type;
  private readonly response: protobuf.Type;
  private readonly deltaRequest: protobuf.Type;
  private readonly deltaResponse: protobuf.Type;

  constructor(private readonly registry: ProtoRegistry) {
    this.request = decodedRequestType(registry.root, 'DiscoveryRequest');
    this.response = registry.root.lookupType(`${PKG}.DiscoveryResponse`);
    this.deltaRequest = decodedRequestType(registry.root, 'DeltaDiscoveryRequest');
    this.deltaResponse = registry.root.lookupType(`${PKG}.DeltaDiscoveryResponse`);
  }

  private plain(type: protobuf.Type, bytes: Uint8Array): Obj {
    // Only strings, string lists and the small Node/Status messages are read; Anys stay opaque.
    return type.toObject(type.decode(bytes), { longs: String, enums: String, arrays: true });
  }

  decodeRequest(bytes: Uint8Array): DiscoveryRequest {
    const o = this.plain(this.request, bytes);
    return {
      version_info: str(o, 'version_info'), node: node(o), resource_names: strs(o, 'resource_names'),
      type_url: str(o, 'type_url'), response_nonce: str(o, 'response_nonce'), error_detail: errorDetail(o),
    };
  }

  decodeDeltaRequest(bytes: Uint8Array): DeltaDiscoveryRequest {
    const o = this.plain(this.deltaRequest, bytes);
    const initial = obj(o, 'initial_resource_versions') ?? {};
    return {
      node: node(o), type_url: str(o, 'type_url'),
      resource_names_subscribe: strs(o, 'resource_names_subscribe'),
      resource_names_unsubscribe: strs(o, 'resource_names_unsubscribe'),
      initial_resource_versions: new Map(Object.keys(initial).map((k) => [k, str(initial, k)])),
      response_nonce: str(o, 'response_nonce'), error_detail: errorDetail(o),
    };
  }

  encodeRequest(request: DiscoveryRequest): Buffer {
    return this.encode(this.request, { ...request, error_detail: request.error_detail });
  }

  encodeDeltaRequest(request: DeltaDiscoveryRequest): Buffer {
    return this.encode(this.deltaRequest, { ...request, initial_resource_versions: Object.fromEntries(request.initial_resource_versions) });
  }

  decodeResponse(bytes: Uint8Array): DiscoveryResponse {
    return this.response.toObject(this.response.decode(bytes), { longs: String, arrays: true }) as DiscoveryResponse;
  }

  decodeDeltaResponse(bytes: Uint8Array): DeltaDiscoveryResponse {
    return this.deltaResponse.toObject(this.deltaResponse.decode(bytes), { longs: String, arrays: true }) as DeltaDiscoveryResponse;
  }

  encodeResponse(response: DiscoveryResponse): Buffer {
    return this.encode(this.response, response);
  }

  encodeDeltaResponse(response: DeltaDiscoveryResponse): Buffer {
    return this.encode(this.deltaResponse, response);
  }

  /**
   * grpc-js wants a Buffer. protobufjs hands one out under Node, so it is passed on as it is: a
   * copy would double what each push allocates (a start sends every RouteConfiguration).
   */
  private encode(type: protobuf.Type, value: object): Buffer {
    const bytes = this.registry.encodePlain(type, { ...value }, JsonPath.ROOT.key(type.name));
    return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
}
