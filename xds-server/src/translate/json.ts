// Plain proto3-JSON values (snake_case field names, enums as strings, Durations as "1.5s"): the
// types are the proto layer's, which encodes them.
export { isJsonObject, jsonOf, LazyJson, type JsonObject, type JsonValue, type ResourceJson } from '../proto/json';
import type { JsonObject, JsonValue } from '../proto/json';

/** Prefix of every type URL: protobufjs' Any JSON conversion looks the type up after the last '/'. */
const TYPE_PREFIX = 'type.googleapis.com/';

/** An Any-typed value: `{"@type": "type.googleapis.com/<full name>", ...fields}`. */
export function typed(fullName: string, body: JsonObject = {}): JsonObject {
  return { '@type': `${TYPE_PREFIX}${fullName}`, ...body };
}

/** A google.protobuf.Duration in proto3 JSON: 1500 → "1.5s". */
export function duration(ms: number): string {
  return `${ms / 1000}s`;
}

/** The ADS config source every xDS reference uses. */
export const ADS: JsonObject = { ads: {}, resource_api_version: 'V3' };

/**
 * A copy of `value` for keeping. V8 gives objects built by an object literal that starts with a
 * spread (`{ ...a, b }`) a hidden class of their own once the building code is optimised. That
 * is harmless for garbage, but the memos keep every route of every group for the operator's
 * lifetime: at 10,000 Apis those classes were ~9 MiB of its heap. The JSON parser builds objects
 * whose classes are shared. Costs ~1 µs per route, once per group build.
 */
export function forKeeping<T extends JsonValue>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Compares strings by code unit, independent of locale (deterministic output). */
export function byString(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** A string field of a resource (a fault when absent: resources are built here). */
export function stringField(object: JsonObject, key: string): string {
  const value = object[key];
  if (typeof value !== 'string') throw new Error(`expected string field ${key} in ${JSON.stringify(object).slice(0, 200)}`);
  return value;
}
