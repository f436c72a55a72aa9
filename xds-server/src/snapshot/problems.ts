// Why a snapshot was rejected: shared by the encoder (per resource) and the build (references).

export type SnapshotProblemKind = 'encoding' | 'name-mismatch' | 'dangling-reference';

/** Why a snapshot was rejected; one entry per offending resource and cause. */
export interface SnapshotProblem {
  readonly kind: SnapshotProblemKind;
  readonly typeUrl: string;
  readonly name: string;
  readonly message: string;
  /** JSON path inside the resource, when known. */
  readonly path?: string;
  /** For dangling references: what is missing. */
  readonly missing?: { readonly typeUrl: string; readonly name: string };
}

/** The message name of a type URL, for messages. */
export function shortType(typeUrl: string): string {
  return typeUrl.slice(typeUrl.lastIndexOf('.') + 1);
}
