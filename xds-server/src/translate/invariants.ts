// Invariants of the IR the operator must uphold; a breach is a fault (TranslateError), caught here
// rather than as an Envoy NACK that would hold back the whole snapshot.
import { sourceKey, type ApiGroupIR, type ClusterIR, type GatewayIR } from '../ir';
import { TranslateError } from './translate-error';

function checkPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TranslateError('XDS_TRANSLATE_OUT_OF_RANGE', `${what}: port ${port}`);
}

/** Each group's hostnames, once per group object (a pass keeps the objects of unchanged groups). */
const hostnames = new WeakMap<ApiGroupIR, readonly string[]>();

function hostnamesOf(group: ApiGroupIR): readonly string[] {
  let names = hostnames.get(group);
  if (names === undefined) {
    names = [...(group.subdomain === undefined ? [] : [group.subdomain]), ...group.domains.map((d) => d.hostname)];
    hostnames.set(group, names);
  }
  return names;
}

function checkDomains(ir: GatewayIR): void {
  const owner = new Map<string, ApiGroupIR>();
  for (const group of ir.groups) {
    for (const name of hostnamesOf(group)) {
      const other = owner.get(name);
      if (other !== undefined) throw new TranslateError('XDS_TRANSLATE_DUPLICATE_DOMAIN', `${name} is served by ${sourceKey(other.source)} and ${sourceKey(group.source)}`);
      owner.set(name, group);
    }
  }
}

/** Clusters by name, after checking names are unique and ports valid. */
export function indexClusters(ir: GatewayIR): ReadonlyMap<string, ClusterIR> {
  const clusters = new Map<string, ClusterIR>();
  for (const cluster of ir.clusters) {
    if (clusters.has(cluster.name)) throw new TranslateError('XDS_TRANSLATE_DUPLICATE_CLUSTER', cluster.name);
    if (cluster.kind === 'Url') checkPort(cluster.port, cluster.name);
    else for (const endpoint of cluster.endpoints) checkPort(endpoint.port, `${cluster.name} endpoint ${endpoint.address}`);
    clusters.set(cluster.name, cluster);
  }
  return clusters;
}

export function checkGateway(ir: GatewayIR): void {
  if (ir.http !== undefined) checkPort(ir.http.port, 'http listener');
  if (ir.https !== undefined) {
    checkPort(ir.https.port, 'https listener');
    checkPort(ir.https.publicPort, 'https public port');
  }
  checkDomains(ir);
}
