// The protobuf registry: strict proto3 JSON ↔ binary for every type in the descriptor.
import * as protobuf from 'protobufjs';
import { loadCommittedRoot } from './descriptor';
import { ProtoError } from './proto-error';
import { isJsonObject, type JsonObject } from './json';
import { JsonReader } from './from-json';
import { JsonPath } from './json-path';
import { JsonWriter } from './to-json';
import { fullNameOf, resolveAnyType } from './reflect';

/** google.protobuf.Any as protobufjs encodes it (proto field names). */
export interface EncodedAny {
  readonly type_url: string;
  readonly value: Uint8Array;
}

/**
 * One message of an encoded resource (the resource itself or one inside an Any), in protobufjs'
 * plain form: proto field names, enums as numbers, a nested Any as `{type_url, value}` (its
 * message is visited on its own). `at` is where it sits, in the input's JSON keys.
 */
export interface EncodedMessage {
  readonly typeName: string;
  readonly plain: Readonly<Record<string, unknown>>;
  readonly at: JsonPath;
}

export class ProtoRegistry {
  private readonly reader: JsonReader;
  private readonly writer: JsonWriter;
  /** Collects the messages of the resource encodeVisiting is encoding. */
  private visited: EncodedMessage[] | undefined;

  constructor(readonly root: protobuf.Root) {
    this.reader = new JsonReader(root, (type, plain, at) => this.encodeVisited(type, plain, at));
    this.writer = new JsonWriter(root, (type, bytes, path) => this.decodeBytes(type, bytes, path));
  }

  /** The registry built from the committed descriptor (xds-server/protos/descriptor.json). */
  static load(): ProtoRegistry {
    return new ProtoRegistry(loadCommittedRoot());
  }

  has(typeUrl: string): boolean {
    return resolveAnyType(this.root, typeUrl) !== undefined;
  }

  /** The message type for a type URL; throws XDS_PROTO_UNKNOWN_TYPE. */
  typeOf(typeUrl: string): protobuf.Type {
    const type = resolveAnyType(this.root, typeUrl);
    if (type === undefined) throw new ProtoError('XDS_PROTO_UNKNOWN_TYPE', '', `no message type for ${typeUrl}`);
    return type;
  }

  /** Strictly converts proto3 JSON to binary; unknown fields, wrong types and unknown Anys throw ProtoError. */
  encodeMessage(typeUrl: string, json: JsonObject): Uint8Array {
    const type = this.typeOf(typeUrl);
    // Reading encodes the messages inside Anys; the resource itself is encoded last.
    return this.encodeVisited(type, this.reader.message(type, stripOwnType(json, typeUrl), JsonPath.ROOT), JsonPath.ROOT);
  }

  /** Encodes a resource as an Any of its own type. */
  encode(typeUrl: string, json: JsonObject): EncodedAny {
    return { type_url: typeUrl, value: this.encodeMessage(typeUrl, json) };
  }

  /**
   * encode, and every message of the resource as it was encoded (the resource first): what a
   * caller needs to read from the resource without decoding it again.
   */
  encodeVisiting(typeUrl: string, json: JsonObject): { readonly any: EncodedAny; readonly messages: readonly EncodedMessage[] } {
    const messages: EncodedMessage[] = [];
    this.visited = messages;
    try {
      const any = this.encode(typeUrl, json);
      const resource = messages.pop(); // encoded last
      return { any, messages: resource === undefined ? messages : [resource, ...messages] };
    } finally {
      this.visited = undefined;
    }
  }

  /** encodePlain, telling encodeVisiting about the message. */
  private encodeVisited(type: protobuf.Type, plain: Record<string, unknown>, at: JsonPath): Uint8Array {
    this.visited?.push({ typeName: fullNameOf(type), plain, at });
    return this.encodePlain(type, plain, at);
  }

  /** Binary → proto3 JSON (proto field names; nested Anys carry "@type"). */
  decodeMessage(typeUrl: string, bytes: Uint8Array): JsonObject {
    const type = this.typeOf(typeUrl);
    return this.writer.message(type, this.decodeBytes(type, bytes, ''), '') as JsonObject;
  }

  /** The resource inside an Any, as proto3 JSON without "@type". */
  decode(any: EncodedAny): JsonObject {
    return this.decodeMessage(any.type_url, any.value);
  }

  /** A protobufjs message decoded from bytes (for callers that need the reflection object). */
  decodeToMessage(typeUrl: string, bytes: Uint8Array): protobuf.Message {
    const type = this.typeOf(typeUrl);
    try {
      return type.decode(bytes);
    } catch (err: unknown) {
      throw new ProtoError('XDS_PROTO_DECODE_FAILED', '', `${fullNameOf(type).slice(1)}: ${String(err)}`);
    }
  }

  /** protobufjs plain object → binary, after protobufjs' own verifier. */
  encodePlain(type: protobuf.Type, plain: Record<string, unknown>, at: JsonPath): Uint8Array {
    const message = type.fromObject(plain);
    const problem = type.verify(message);
    if (problem !== null) throw new ProtoError('XDS_PROTO_VERIFY_FAILED', at.toString(), `${fullNameOf(type).slice(1)}: ${problem}`);
    return type.encode(message).finish();
  }

  private decodeBytes(type: protobuf.Type, bytes: Uint8Array, path: string): Record<string, unknown> {
    try {
      return type.decode(bytes) as unknown as Record<string, unknown>;
    } catch (err: unknown) {
      throw new ProtoError('XDS_PROTO_DECODE_FAILED', path, `${fullNameOf(type).slice(1)}: ${String(err)}`);
    }
  }
}

function stripOwnType(json: JsonObject, typeUrl: string): Record<string, unknown> {
  if (!isJsonObject(json)) throw new ProtoError('XDS_PROTO_INVALID_JSON', '', 'resource is not a JSON object');
  const own = json['@type'];
  if (own === undefined) return json;
  if (own !== typeUrl) throw new ProtoError('XDS_PROTO_INVALID_JSON', '@type', `resource says ${JSON.stringify(own)}, expected ${typeUrl}`);
  return Object.fromEntries(Object.entries(json).filter(([k]) => k !== '@type'));
}

let shared: ProtoRegistry | undefined;

/** The process-wide registry (loaded lazily from the committed descriptor). */
export function defaultRegistry(): ProtoRegistry {
  shared ??= ProtoRegistry.load();
  return shared;
}

/** Encodes a proto3 JSON resource of `typeUrl` into an Any; throws ProtoError on any mismatch. */
export function encodeResource(typeUrl: string, json: JsonObject): EncodedAny {
  return defaultRegistry().encode(typeUrl, json);
}

/** Decodes an Any produced by encodeResource back to proto3 JSON (for tests and debugging). */
export function decodeResource(any: EncodedAny): JsonObject {
  return defaultRegistry().decode(any);
}
