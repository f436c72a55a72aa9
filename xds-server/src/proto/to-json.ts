// protobufjs message → proto3 JSON (proto field names, Anys expanded with "@type").
import * as protobuf from 'protobufjs';
import { ProtoError } from './proto-error';
import type { JsonObject, JsonValue } from './json';
import { formatDuration, formatFieldMask, formatTimestamp } from './wkt';
import { WRAPPERS, fullNameOf, hasSpecialJson, resolveAnyType, valueFieldNames, type ValueFieldNames } from './reflect';

type Fields = Readonly<Record<string, unknown>>;

/** Decodes the bytes of an Any; supplied by the registry. */
export type AnyDecoder = (type: protobuf.Type, bytes: Uint8Array, path: string) => Fields;

function own(obj: Fields, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function numberish(value: unknown): string {
  // Long (64-bit) values print as decimal through toString(); numbers as themselves.
  if (typeof value === 'object' && value !== null) return (value as { toString(): string }).toString();
  return typeof value === 'number' || typeof value === 'string' ? String(value) : '0';
}

function floatJson(value: unknown): JsonValue {
  const n = Number(value);
  if (Number.isNaN(n)) return 'NaN';
  if (n === Number.POSITIVE_INFINITY) return 'Infinity';
  if (n === Number.NEGATIVE_INFINITY) return '-Infinity';
  return n;
}

function scalarJson(type: string, value: unknown): JsonValue {
  switch (type) {
    case 'string':
    case 'bool':
      return value as string | boolean;
    case 'bytes':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'double':
    case 'float':
      return floatJson(value);
    default:
      return type.endsWith('64') ? numberish(value) : Number(value);
  }
}

export class JsonWriter {
  private readonly valueNames: ValueFieldNames;

  constructor(
    private readonly root: protobuf.Root,
    private readonly decodeNested: AnyDecoder,
  ) {
    this.valueNames = valueFieldNames(root);
  }

  message(type: protobuf.Type, msg: Fields, path: string): JsonValue {
    const special = this.wellKnown(type, msg, path);
    if (special !== undefined) return special;
    const out: Record<string, JsonValue> = {};
    for (const field of type.fieldsArray) {
      if (!own(msg, field.name)) continue;
      const value = msg[field.name];
      if (value === null || value === undefined || isEmptyCollection(field, value)) continue;
      field.resolve();
      out[field.name] = this.fieldValue(field, value, `${path}.${field.name}`);
    }
    return out;
  }

  private fieldValue(field: protobuf.Field, value: unknown, path: string): JsonValue {
    if (field.map) {
      const out: Record<string, JsonValue> = {};
      for (const [k, v] of Object.entries(value as Fields)) out[k] = this.singular(field, v, `${path}[${k}]`);
      return out;
    }
    if (field.repeated) return (value as unknown[]).map((v, i) => this.singular(field, v, `${path}[${i}]`));
    return this.singular(field, value, path);
  }

  private singular(field: protobuf.Field, value: unknown, path: string): JsonValue {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) return this.message(resolved, value as Fields, path);
    if (resolved instanceof protobuf.Enum) {
      if (fullNameOf(resolved) === '.google.protobuf.NullValue') return null;
      return resolved.valuesById[value as number] ?? (value as number);
    }
    return scalarJson(field.type, value);
  }

  private wellKnown(type: protobuf.Type, msg: Fields, path: string): JsonValue | undefined {
    switch (fullNameOf(type)) {
      case '.google.protobuf.Any': return this.any(msg, path);
      case '.google.protobuf.Duration': return formatDuration(numberish(msg['seconds'] ?? 0), Number(msg['nanos'] ?? 0));
      case '.google.protobuf.Timestamp': return formatTimestamp(numberish(msg['seconds'] ?? 0), Number(msg['nanos'] ?? 0));
      case '.google.protobuf.FieldMask': return formatFieldMask((msg['paths'] ?? []) as string[]);
      case '.google.protobuf.Struct':
      case '.google.protobuf.Value':
      case '.google.protobuf.ListValue':
        return structJson(this.valueNames, fullNameOf(type), msg);
      default:
        if (!WRAPPERS.has(fullNameOf(type))) return undefined;
        return scalarJson((type.fieldsArray[0] as protobuf.Field).type, msg['value'] ?? defaultOf(type));
    }
  }

  private any(msg: Fields, path: string): JsonValue {
    const rawUrl = msg['type_url'];
    const typeUrl = typeof rawUrl === 'string' ? rawUrl : '';
    const inner = resolveAnyType(this.root, typeUrl);
    if (inner === undefined) throw new ProtoError('XDS_PROTO_UNKNOWN_TYPE', path, `no message type for ${typeUrl}`);
    const bytes = (msg['value'] ?? new Uint8Array()) as Uint8Array;
    const innerPath = `${path}<${fullNameOf(inner).slice(1)}>`;
    const body = this.message(inner, this.decodeNested(inner, bytes, innerPath), innerPath);
    return hasSpecialJson(fullNameOf(inner)) ? { '@type': typeUrl, value: body } : { '@type': typeUrl, ...(body as JsonObject) };
  }
}

function isEmptyCollection(field: protobuf.Field, value: unknown): boolean {
  // Decoded messages carry empty arrays/maps as own properties; proto3 JSON omits them.
  if (field.map) return Object.keys(value as object).length === 0;
  return field.repeated && (value as unknown[]).length === 0;
}

function defaultOf(type: protobuf.Type): unknown {
  const field = type.fieldsArray[0];
  if (field === undefined) return 0;
  if (field.type === 'string') return '';
  if (field.type === 'bool') return false;
  if (field.type === 'bytes') return new Uint8Array();
  return 0;
}

function structJson(names: ValueFieldNames, fullName: string, msg: Fields): JsonValue {
  if (fullName === '.google.protobuf.Struct') {
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries((msg['fields'] ?? {}) as Record<string, Fields>)) out[k] = structJson(names, '.google.protobuf.Value', v);
    return out;
  }
  if (fullName === '.google.protobuf.ListValue') {
    return ((msg['values'] ?? []) as Fields[]).map((v) => structJson(names, '.google.protobuf.Value', v));
  }
  if (own(msg, names.number)) return Number(msg[names.number]);
  if (own(msg, names.string)) return String(msg[names.string]);
  if (own(msg, names.bool)) return Boolean(msg[names.bool]);
  if (own(msg, names.struct)) return structJson(names, '.google.protobuf.Struct', msg[names.struct] as Fields);
  if (own(msg, names.list)) return structJson(names, '.google.protobuf.ListValue', msg[names.list] as Fields);
  return null;
}
