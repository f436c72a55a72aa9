// ClusterLoadAssignments (EDS) for Service clusters.
import type { ServiceClusterIR } from '../ir';
import { byString, type JsonObject } from './json';

/** Sorted by address then port; an empty Service still gets its (empty) assignment so the cluster warms. */
export function buildLoadAssignment(cluster: ServiceClusterIR): JsonObject {
  const endpoints = [...cluster.endpoints].sort((a, b) => byString(a.address, b.address) || a.port - b.port);
  const lbEndpoints = endpoints.map((e) => ({ endpoint: { address: { socket_address: { address: e.address, port_value: e.port } } } }));
  return { cluster_name: cluster.name, endpoints: lbEndpoints.length === 0 ? [] : [{ lb_endpoints: lbEndpoints }] };
}
