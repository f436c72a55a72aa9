// JSON value types shared by the proto codec, the snapshot cache and the ADS server.

/** A JSON value as produced by JSON.parse (proto3 JSON mapping). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;

/** A JSON object; resources enter and leave the registry in this shape. */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
