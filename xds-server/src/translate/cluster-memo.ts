// Clusters and load assignments are pure functions of one ClusterIR: kept per object (WeakMap), so
// a cluster the operator passes unchanged (same object) yields the same JsonObject every pass.
import type { ClusterIR, ServiceClusterIR } from '../ir';
import { buildCluster } from './clusters';
import { buildLoadAssignment } from './endpoints';
import { forKeeping, type JsonObject } from './json';

const clusters = new WeakMap<ClusterIR, JsonObject>();
const assignments = new WeakMap<ServiceClusterIR, JsonObject>();

function memoised<K extends object>(memo: WeakMap<K, JsonObject>, key: K, build: (key: K) => JsonObject): JsonObject {
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const built = forKeeping(build(key));
  memo.set(key, built);
  return built;
}

export function clusterOf(cluster: ClusterIR): JsonObject {
  return memoised(clusters, cluster, buildCluster);
}

export function loadAssignmentOf(cluster: ServiceClusterIR): JsonObject {
  return memoised(assignments, cluster, buildLoadAssignment);
}
