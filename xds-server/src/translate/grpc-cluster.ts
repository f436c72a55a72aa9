// The CDS cluster of a gRPC side service Envoy calls on every request (authz, ratelimit).
import type { SourceRef } from '../ir';
import { typed, type JsonObject } from './json';
import { sourceMetadata } from './metadata';

/**
 * Envoy's default circuit breakers allow 1,024 requests in flight per cluster; past that a check
 * fails at once without reaching the service, so under a flood a fail-open throttle would let
 * calls through uncounted. These services are called once per request: the limit is the
 * gateway's own concurrency, not a protection.
 */
const PER_REQUEST_CALLS = { thresholds: [{ max_connections: 100_000, max_pending_requests: 100_000, max_requests: 100_000 }] };

export function grpcServiceCluster(name: string, service: { readonly host: string; readonly port: number }, source: SourceRef): JsonObject {
  const endpoint = { endpoint: { address: { socket_address: { address: service.host, port_value: service.port } } } };
  return {
    name,
    type: 'STRICT_DNS',
    dns_lookup_family: 'V4_PREFERRED',
    connect_timeout: '1s',
    circuit_breakers: PER_REQUEST_CALLS,
    load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [endpoint] }] },
    typed_extension_protocol_options: {
      'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': typed('envoy.extensions.upstreams.http.v3.HttpProtocolOptions', {
        explicit_http_config: { http2_protocol_options: { connection_keepalive: { interval: '5s', timeout: '5s' } } },
      }),
    },
    metadata: sourceMetadata(source),
  };
}
