import type { SourceRef } from '../ir';
import type { JsonObject } from './json';

/** The filter_metadata namespace Turnpike writes: where a resource came from, and route facts. */
export const METADATA_NAMESPACE = 'turnpike.dev';

/**
 * `metadata: {filter_metadata: {"turnpike.dev": {source, ...extra}, ...filters}}` for any resource;
 * `filters` holds metadata read by HTTP filters under their own names.
 */
export function sourceMetadata(source: SourceRef, extra: JsonObject = {}, filters: JsonObject = {}): JsonObject {
  return {
    filter_metadata: {
      ...filters,
      [METADATA_NAMESPACE]: { source: { kind: source.kind, namespace: source.namespace, name: source.name }, ...extra },
    },
  };
}
