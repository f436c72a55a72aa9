// Strict proto3 JSON → protobufjs plain object. protobufjs' fromObject silently drops unknown
// fields and coerces types, so every field is checked here first and errors name the JSON path.
import * as protobuf from 'protobufjs';
import { ProtoError } from './proto-error';
import { isJsonObject } from './json';
import type { JsonPath } from './json-path';
import { parseDuration, parseFieldMask, parseTimestamp } from './wkt';
import { WRAPPERS, fieldByJsonKey, fullNameOf, hasSpecialJson, isSyntheticOneof, resolveAnyType, typeUrlOf, valueFieldNames, type ValueFieldNames } from './reflect';
import { parseScalar } from './scalars';

type Plain = Record<string, unknown>;


function invalid(at: JsonPath, detail: string): ProtoError {
  return new ProtoError('XDS_PROTO_INVALID_JSON', at.toString(), detail);
}

/** Encodes a message found inside an Any; supplied by the registry so nested Anys recurse. */
export type AnyEncoder = (type: protobuf.Type, plain: Plain, at: JsonPath) => Uint8Array;

export class JsonReader {
  private readonly valueNames: ValueFieldNames;

  constructor(
    private readonly root: protobuf.Root,
    private readonly encodeNested: AnyEncoder,
  ) {
    this.valueNames = valueFieldNames(root);
  }

  /** Converts `json` (proto3 JSON for `type`) into the object form protobufjs' fromObject expects. */
  message(type: protobuf.Type, json: unknown, at: JsonPath): Plain {
    const special = this.wellKnown(type, json, at);
    if (special !== undefined) return special;
    if (!isJsonObject(json)) throw invalid(at, `expected an object for ${fullNameOf(type).slice(1)}`);
    const out: Plain = {};
    let oneofSeen: Map<string, string> | undefined;
    for (const key of Object.keys(json)) {
      const value = json[key];
      const field = fieldByJsonKey(type, key);
      if (field === undefined) throw invalid(at.key(key), `unknown field in ${fullNameOf(type).slice(1)}`);
      if (value === null && !isNullable(field)) continue;
      if (Object.prototype.hasOwnProperty.call(out, field.name)) {
        throw invalid(at.key(key), `field given twice (${field.name})`);
      }
      if (field.partOf !== null) this.checkOneof(field, (oneofSeen ??= new Map<string, string>()), at, key);
      const converted = this.fieldValue(field, value, at.key(key));
      // Implicit-presence defaults are not encoded, so `{"port": 0}` and `{}` hash the same.
      if (!isImplicitDefault(field, converted)) out[field.name] = converted;
    }
    return out;
  }

  private checkOneof(field: protobuf.Field, seen: Map<string, string>, at: JsonPath, key: string): void {
    const oneof = field.partOf;
    if (oneof === null || isSyntheticOneof(oneof)) return;
    const other = seen.get(oneof.name);
    if (other !== undefined) throw invalid(at.key(key), `oneof ${oneof.name} already set by ${other}`);
    seen.set(oneof.name, field.name);
  }

  private fieldValue(field: protobuf.Field, value: unknown, at: JsonPath): unknown {
    if (field.map) return this.mapValue(field, value, at);
    if (field.repeated) {
      if (!Array.isArray(value)) throw invalid(at, 'expected an array');
      return value.map((item: unknown, i) => this.singular(field, item, at.index(i)));
    }
    return this.singular(field, value, at);
  }

  private mapValue(field: protobuf.Field, value: unknown, at: JsonPath): Plain {
    if (!isJsonObject(value)) throw invalid(at, 'expected an object (map)');
    const keyType = field instanceof protobuf.MapField ? field.keyType : 'string';
    const out: Plain = {};
    // Sorted so that encoding (and therefore every content hash) is independent of key order.
    for (const key of Object.keys(value).sort()) {
      const entry = at.entry(key);
      checkMapKey(keyType, key, entry);
      out[key] = this.singular(field, value[key], entry);
    }
    return out;
  }

  private singular(field: protobuf.Field, value: unknown, at: JsonPath): unknown {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) return this.message(resolved, value, at);
    if (resolved instanceof protobuf.Enum) return enumValue(resolved, value, at);
    return parseScalar(field.type, value, at);
  }

  private wellKnown(type: protobuf.Type, json: unknown, at: JsonPath): Plain | undefined {
    const name = fullNameOf(type);
    if (name === '.google.protobuf.Any') return this.any(json, at);
    if (!hasSpecialJson(name)) return undefined;
    if (WRAPPERS.has(name)) {
      const field = type.fieldsArray[0] as protobuf.Field;
      const value = this.singular(field, json, at);
      return isImplicitDefault(field, value) ? {} : { value };
    }
    switch (name) {
      case '.google.protobuf.Duration': return secondsNanos(parseDuration, json, at, 'a duration like "1.5s"');
      case '.google.protobuf.Timestamp': return secondsNanos(parseTimestamp, json, at, 'an RFC 3339 timestamp');
      case '.google.protobuf.FieldMask':
        if (typeof json !== 'string') throw invalid(at, 'expected a field mask string');
        return { paths: parseFieldMask(json) };
      case '.google.protobuf.Struct': return structValue(this.valueNames, json, at);
      case '.google.protobuf.ListValue': return listValue(this.valueNames, json, at);
      default: return valueOf(this.valueNames, json, at);
    }
  }

  private any(json: unknown, at: JsonPath): Plain {
    if (!isJsonObject(json)) throw invalid(at, 'expected an object with "@type" (Any)');
    const typeUrl = json['@type'];
    if (typeof typeUrl !== 'string') throw invalid(at.key('@type'), 'missing or not a string');
    const inner = resolveAnyType(this.root, typeUrl);
    if (inner === undefined) {
      throw new ProtoError('XDS_PROTO_UNKNOWN_TYPE', at.key('@type').toString(), `no message type for ${typeUrl}`);
    }
    const innerPath = at.any(fullNameOf(inner).slice(1));
    const rest = Object.fromEntries(Object.entries(json).filter(([k]) => k !== '@type'));
    let plain: Plain;
    if (hasSpecialJson(fullNameOf(inner))) {
      const extra = Object.keys(rest).filter((k) => k !== 'value');
      if (extra.length > 0) throw invalid(innerPath.key(extra[0] ?? ''), 'unknown field (well-known type in Any takes "value")');
      plain = this.message(inner, rest['value'], innerPath);
    } else {
      plain = this.message(inner, rest, innerPath);
    }
    return { type_url: typeUrlOf(inner), value: this.encodeNested(inner, plain, innerPath) };
  }
}

function isImplicitDefault(field: protobuf.Field, value: unknown): boolean {
  if (field.repeated || field.map || field.partOf !== null || field.resolvedType instanceof protobuf.Type) return false;
  if (value instanceof Uint8Array) return value.length === 0;
  // 64-bit integers arrive as decimal strings; "0" is an ordinary value of a string field.
  return value === 0 || (value === '0' && INT64_TYPES.has(field.type)) || value === '' || value === false;
}

const INT64_TYPES: ReadonlySet<string> = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

function isNullable(field: protobuf.Field): boolean {
  // JSON null is "unset" except for google.protobuf.Value (null_value) and the NullValue enum.
  const resolved = field.resolvedType === null ? '' : fullNameOf(field.resolvedType);
  return !field.repeated && !field.map &&
    (field.type === 'google.protobuf.Value' || field.type === 'google.protobuf.NullValue' ||
     resolved === '.google.protobuf.Value' || resolved === '.google.protobuf.NullValue');
}

function secondsNanos(
  parse: (text: string) => { seconds: string; nanos: number } | undefined,
  json: unknown, at: JsonPath, what: string,
): Plain {
  const parsed = typeof json === 'string' ? parse(json) : undefined;
  if (parsed === undefined) throw invalid(at, `expected ${what}, got ${JSON.stringify(json)}`);
  return { seconds: parsed.seconds, nanos: parsed.nanos };
}

function enumValue(type: protobuf.Enum, value: unknown, at: JsonPath): number {
  if (fullNameOf(type) === '.google.protobuf.NullValue' && value === null) return 0;
  if (typeof value === 'string') {
    const n = type.values[value];
    if (n === undefined) throw invalid(at, `${JSON.stringify(value)} is not a value of ${fullNameOf(type).slice(1)}`);
    return n;
  }
  if (typeof value === 'number' && Number.isInteger(value) && type.valuesById[value] !== undefined) return value;
  throw invalid(at, `expected a ${fullNameOf(type).slice(1)} name, got ${JSON.stringify(value)}`);
}

function checkMapKey(keyType: string, key: string, at: JsonPath): void {
  if (keyType === 'string') return;
  if (keyType === 'bool' && (key === 'true' || key === 'false')) return;
  if (keyType !== 'bool' && /^-?\d+$/.test(key)) return;
  throw invalid(at, `map key is not a ${keyType}`);
}

function valueOf(names: ValueFieldNames, json: unknown, at: JsonPath): Plain {
  if (json === null) return { [names.null]: 0 };
  switch (typeof json) {
    case 'number':
      if (!Number.isFinite(json)) throw invalid(at, 'Value numbers must be finite');
      return { [names.number]: json };
    case 'string': return { [names.string]: json };
    case 'boolean': return { [names.bool]: json };
    default:
      if (Array.isArray(json)) return { [names.list]: listValue(names, json, at) };
      if (isJsonObject(json)) return { [names.struct]: structValue(names, json, at) };
      throw invalid(at, 'not a JSON value');
  }
}

function structValue(names: ValueFieldNames, json: unknown, at: JsonPath): Plain {
  if (!isJsonObject(json)) throw invalid(at, 'expected an object (Struct)');
  const fields: Plain = {};
  for (const key of Object.keys(json).sort()) fields[key] = valueOf(names, json[key], at.entry(key));
  return { fields };
}

function listValue(names: ValueFieldNames, json: unknown, at: JsonPath): Plain {
  if (!Array.isArray(json)) throw invalid(at, 'expected an array (ListValue)');
  return { values: json.map((item: unknown, i) => valueOf(names, item, at.index(i))) };
}
