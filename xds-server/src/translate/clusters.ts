// Clusters (CDS): EDS for Kubernetes Services, STATIC or STRICT_DNS for URL backends. Mock routes
// need none (direct_response).
import type { ClusterIR, ServiceClusterIR, UrlClusterIR } from '../ir';
import { ADS, typed, type JsonObject } from './json';
import { sourceMetadata } from './metadata';
import { isIpAddress } from './upstream-host';

const CONNECT_TIMEOUT = '5s';

/** TLS towards the backend with SNI. The certificate is not verified (Huawei's default). */
function upstreamTls(sni: string | undefined): JsonObject {
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: typed('envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', sni === undefined ? {} : { sni }),
  };
}

function serviceCluster(cluster: ServiceClusterIR): JsonObject {
  const sni = `${cluster.source.name}.${cluster.source.namespace}.svc`;
  return {
    name: cluster.name,
    type: 'EDS',
    // Endpoints follow EndpointSlices without touching the cluster.
    eds_cluster_config: { eds_config: ADS, service_name: cluster.name },
    connect_timeout: CONNECT_TIMEOUT,
    ...(cluster.scheme === 'https' ? { transport_socket: upstreamTls(sni) } : {}),
    metadata: sourceMetadata(cluster.source),
  };
}

function urlCluster(cluster: UrlClusterIR): JsonObject {
  const ip = isIpAddress(cluster.host);
  const endpoint = { endpoint: { address: { socket_address: { address: cluster.host, port_value: cluster.port } } } };
  return {
    name: cluster.name,
    // A DNS name is re-resolved and every address it returns is used.
    ...(ip ? { type: 'STATIC' } : { type: 'STRICT_DNS', dns_lookup_family: 'V4_PREFERRED' }),
    load_assignment: { cluster_name: cluster.name, endpoints: [{ lb_endpoints: [endpoint] }] },
    connect_timeout: CONNECT_TIMEOUT,
    ...(cluster.scheme === 'https' ? { transport_socket: upstreamTls(ip ? undefined : cluster.host) } : {}),
    metadata: sourceMetadata(cluster.source),
  };
}

export function buildCluster(cluster: ClusterIR): JsonObject {
  return cluster.kind === 'Service' ? serviceCluster(cluster) : urlCluster(cluster);
}
