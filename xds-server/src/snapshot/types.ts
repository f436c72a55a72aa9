// Immutable snapshot model: per fleet, per type URL, named encoded resources with content hashes.
import type { EncodedAny, ResourceJson } from '../proto';
import { versionOf, versionOfSorted } from './hash';
import type { Reference } from './references';

/**
 * Translator output: per type URL, resources by name, as proto3 JSON (or a LazyJson that builds it).
 * The SnapshotCache remembers each resource's encoding by object identity: hand over a new object
 * to change a resource, never mutate one already handed over.
 */
export type ResourceInput = ReadonlyMap<string, ReadonlyMap<string, ResourceJson>>;

export interface SnapshotResource {
  readonly typeUrl: string;
  readonly name: string;
  /** Content hash of the encoded bytes; the Delta xDS per-resource version. */
  readonly hash: string;
  /** The encoded resource; `registry.decode(any)` gives its canonical proto3 JSON (for dumps). */
  readonly any: EncodedAny;
  /** Other ADS resources this one points at (see referencesOf). */
  readonly references: readonly Reference[];
}

/** A type that is another's resources with some of them replaced, names unchanged. */
export interface TypePatch {
  /** The resources it was patched from. */
  readonly resources: ReadonlyMap<string, SnapshotResource>;
  /** The replaced resources (their new versions). */
  readonly changed: readonly SnapshotResource[];
}

export interface TypeSnapshot {
  readonly typeUrl: string;
  /** Hash of the (name, hash) pairs: the SotW version_info of this type. */
  readonly version: string;
  /** In name order (compareNames) when built by buildSnapshot. */
  readonly resources: ReadonlyMap<string, SnapshotResource>;
  /** How it differs from the previous snapshot's, when only resources were replaced (assembleType). */
  readonly patchOf?: TypePatch;
}

export interface Snapshot {
  readonly fleet: string;
  /** Hash of every non-empty type's version: equal worlds have equal versions. */
  readonly version: string;
  /** Non-empty types only. */
  readonly types: ReadonlyMap<string, TypeSnapshot>;
}

const EMPTY_RESOURCES: ReadonlyMap<string, SnapshotResource> = new Map();

/** A TypeSnapshot of resources already in name order (compareNames); the version is not re-sorted. */
export function sortedTypeSnapshot(typeUrl: string, resources: ReadonlyMap<string, SnapshotResource>, patchOf?: TypePatch): TypeSnapshot {
  const version = versionOfSorted([...resources.values()].map((r) => [r.name, r.hash] as const));
  return Object.freeze({ typeUrl, version, resources, ...(patchOf === undefined ? {} : { patchOf }) });
}

/** Builds a TypeSnapshot (version computed from the resources, in any order). */
export function typeSnapshot(typeUrl: string, resources: ReadonlyMap<string, SnapshotResource>): TypeSnapshot {
  const version = versionOf([...resources.values()].map((r) => [r.name, r.hash] as const));
  return Object.freeze({ typeUrl, version, resources });
}

/** The resources of one type in a snapshot; an empty TypeSnapshot when the type is absent. */
export function resourcesOf(snapshot: Snapshot | undefined, typeUrl: string): TypeSnapshot {
  return snapshot?.types.get(typeUrl) ?? typeSnapshot(typeUrl, EMPTY_RESOURCES);
}
