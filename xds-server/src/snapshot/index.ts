// Public surface of the snapshot layer.
export { SnapshotCache, type SetResult, type SnapshotCacheOptions, type SnapshotWatcher } from './cache';
export { buildSnapshot, type BuildOptions, type BuildResult, type SnapshotProblem, type SnapshotProblemKind } from './build';
export { referencesOf, type Reference } from './references';
export { resourceHash, versionOf } from './hash';
export { resourcesOf, typeSnapshot, type ResourceInput, type Snapshot, type SnapshotResource, type TypePatch, type TypeSnapshot } from './types';
