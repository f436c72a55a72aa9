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

/**
 * A resource whose JSON is built when asked. A translator hands back the same instance while the
 * resource's inputs are unchanged, so what lives between passes is this handle and, in the
 * snapshot's encoder, its encoding: not the JSON, which for a group's routes is several times
 * larger (and, built for every group at once at start, a peak of its own).
 */
export class LazyJson {
  constructor(private readonly build: () => JsonObject) {}

  /** The resource's JSON (a new, equal object on every call). */
  value(): JsonObject {
    return this.build();
  }
}

/** A resource as translators hand it to the snapshot: its JSON, or a handle that builds it. */
export type ResourceJson = JsonObject | LazyJson;

/** The JSON of a resource. */
export function jsonOf(resource: ResourceJson): JsonObject {
  return resource instanceof LazyJson ? resource.value() : resource;
}
