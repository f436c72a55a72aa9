// Gateway-wide resources (listeners, the rate-limit and mock clusters, secrets, the authn
// extension config) are built again by every translateIR, unlike a group's or a cluster's, which
// are memoised by their IR object. Rebuilding them is cheap; encoding them is not (a listener
// holds the whole HTTP filter chain): the snapshot encoder recognises a resource by object
// identity, so a resource equal to the one of the previous pass is handed back as that very object.
import type { JsonObject } from './json';

/** The last resource of each type and name; a handful of entries. */
const last = new Map<string, { readonly json: string; readonly object: JsonObject }>();

/** `object`, or the previous pass's resource of the same type and name when equal to it. */
export function stable(type: string, name: string, object: JsonObject): JsonObject {
  const key = `${type}\n${name}`;
  const json = JSON.stringify(object);
  const before = last.get(key);
  if (before?.json === json) return before.object;
  last.set(key, { json, object });
  return object;
}
