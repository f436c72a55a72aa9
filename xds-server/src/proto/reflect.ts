// Small reflection helpers over protobufjs types (field lookup by proto or JSON name, type URLs).
import * as protobuf from 'protobufjs';
import { jsonNameOf } from './wkt';

/** Wrapper types: their JSON is the bare wrapped value. */
export const WRAPPERS: ReadonlySet<string> = new Set([
  '.google.protobuf.DoubleValue', '.google.protobuf.FloatValue', '.google.protobuf.Int64Value',
  '.google.protobuf.UInt64Value', '.google.protobuf.Int32Value', '.google.protobuf.UInt32Value',
  '.google.protobuf.BoolValue', '.google.protobuf.StringValue', '.google.protobuf.BytesValue',
]);
const SPECIAL_JSON: ReadonlySet<string> = new Set([
  ...WRAPPERS, '.google.protobuf.Duration', '.google.protobuf.Timestamp', '.google.protobuf.FieldMask',
  '.google.protobuf.Struct', '.google.protobuf.Value', '.google.protobuf.ListValue', '.google.protobuf.Any',
]);

/** Well-known types whose JSON is not an object of their fields (inside an Any they sit under "value"). */
export function hasSpecialJson(fullName: string): boolean {
  return SPECIAL_JSON.has(fullName);
}

const TYPE_URL_PREFIX = 'type.googleapis.com/';
const fullNames = new WeakMap<protobuf.ReflectionObject, string>();
const anyTypes = new WeakMap<protobuf.Root, Map<string, protobuf.Type | undefined>>();

/**
 * A type's or enum's full name (`.envoy.config.route.v3.Route`). protobufjs works it out by walking
 * the parents on every read, and the codec reads it for every message: a third of encoding's time
 * before it was remembered.
 */
export function fullNameOf(object: protobuf.ReflectionObject): string {
  let name = fullNames.get(object);
  if (name === undefined) {
    name = object.fullName;
    fullNames.set(object, name);
  }
  return name;
}
const fieldIndex = new WeakMap<protobuf.Type, ReadonlyMap<string, protobuf.Field>>();

function indexFields(type: protobuf.Type): ReadonlyMap<string, protobuf.Field> {
  const index = new Map<string, protobuf.Field>();
  for (const field of type.fieldsArray) {
    field.resolve();
    index.set(field.name, field);
    const custom: unknown = field.options?.['json_name'];
    index.set(typeof custom === 'string' ? custom : jsonNameOf(field.name), field);
  }
  return index;
}

/** The field a JSON key names: the proto field name or its lowerCamelCase JSON name (proto3 JSON accepts both). */
export function fieldByJsonKey(type: protobuf.Type, key: string): protobuf.Field | undefined {
  let index = fieldIndex.get(type);
  if (index === undefined) {
    index = indexFields(type);
    fieldIndex.set(type, index);
  }
  return index.get(key);
}

/** proto3 `optional` creates a one-member oneof whose name starts with `_`; it is not a real choice. */
export function isSyntheticOneof(oneof: protobuf.OneOf): boolean {
  return oneof.fieldsArray.length === 1 && oneof.name.startsWith('_') && oneof.fieldsArray[0]?.options?.['proto3_optional'] === true;
}

/** `type.googleapis.com/<full name>` for a message type. */
export function typeUrlOf(type: protobuf.Type): string {
  return TYPE_URL_PREFIX + fullNameOf(type).slice(1);
}

/** The message type an Any's type URL names (anything before the last `/` is ignored, as in protobuf). */
export function resolveAnyType(root: protobuf.Root, typeUrl: string): protobuf.Type | undefined {
  let known = anyTypes.get(root);
  if (known === undefined) {
    known = new Map();
    anyTypes.set(root, known);
  }
  // Type URLs come from the translators and the descriptor: a small, fixed set.
  if (known.has(typeUrl)) return known.get(typeUrl);
  const name = typeUrl.slice(typeUrl.lastIndexOf('/') + 1);
  const found = name === '' ? undefined : root.lookup(name.startsWith('.') ? name : `.${name}`);
  const type = found instanceof protobuf.Type ? found : undefined;
  known.set(typeUrl, type);
  return type;
}

/** Field names of google.protobuf.Value by field number (protobufjs' built-in copy uses camelCase). */
export interface ValueFieldNames {
  readonly null: string;
  readonly number: string;
  readonly string: string;
  readonly bool: string;
  readonly struct: string;
  readonly list: string;
}

export function valueFieldNames(root: protobuf.Root): ValueFieldNames {
  const type = root.lookupType('google.protobuf.Value');
  const name = (id: number): string => {
    const field = type.fieldsById[id];
    if (field === undefined) throw new Error(`google.protobuf.Value has no field ${id}`);
    return field.name;
  };
  return { null: name(1), number: name(2), string: name(3), bool: name(4), struct: name(5), list: name(6) };
}
