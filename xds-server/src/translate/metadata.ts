import type { SourceRef } from '../ir';
import type { JsonObject } from './json';

/** The filter_metadata namespace Turnpike writes: where a resource came from, and route facts. */
export const METADATA_NAMESPACE = 'turnpike.dev';

/** `metadata: {filter_metadata: {"turnpike.dev": {source, ...extra}}}` for any resource. */
export function sourceMetadata(source: SourceRef, extra: JsonObject = {}): JsonObject {
  return {
    filter_metadata: {
      [METADATA_NAMESPACE]: { source: { kind: source.kind, namespace: source.namespace, name: source.name }, ...extra },
    },
  };
}
