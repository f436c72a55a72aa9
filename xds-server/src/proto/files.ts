// The explicit list of .proto files the registry is built from. Not a glob: the Envoy API tree
// shipped in @grpc/grpc-js-xds lacks some dependencies (opencensus, opentelemetry, v2 API), so
// only files known to load are listed. Add a file here when the translator emits a new
// typed_config type, then regenerate the descriptor (see xds-server/protos/README.md).

/** Envoy, xds (cncf) and vendored files, relative to the include directories. */
export const PROTO_FILES: readonly string[] = [
  // Transport: ADS, discovery messages, CSDS (used by tests as an independent client view).
  'envoy/service/discovery/v3/ads.proto',
  'envoy/service/status/v3/csds.proto',
  // The ext_authz gRPC service the authz component implements (CheckRequest/CheckResponse).
  'envoy/service/auth/v3/external_auth.proto',
  // xDS resource types.
  'envoy/config/listener/v3/listener.proto',
  'envoy/config/route/v3/route.proto',
  'envoy/config/route/v3/scoped_route.proto',
  'envoy/config/cluster/v3/cluster.proto',
  'envoy/config/endpoint/v3/endpoint.proto',
  'envoy/extensions/transport_sockets/tls/v3/secret.proto',
  'envoy/extensions/transport_sockets/tls/v3/tls.proto',
  'envoy/extensions/transport_sockets/raw_buffer/v3/raw_buffer.proto',
  // Listener filters: the TLS inspector reads SNI so HTTPS picks a bound domain's certificate.
  'envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector.proto',
  // Network and HTTP filters (typed_config payloads), in the gateway's filter order.
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy.proto',
  'envoy/extensions/filters/http/header_mutation/v3/header_mutation.proto',
  'envoy/extensions/filters/http/cors/v3/cors.proto',
  'envoy/extensions/filters/http/rbac/v3/rbac.proto',
  'envoy/extensions/filters/http/ext_authz/v3/ext_authz.proto',
  'envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit.proto',
  'envoy/extensions/filters/http/ratelimit/v3/rate_limit.proto',
  'envoy/extensions/filters/http/fault/v3/fault.proto',
  'envoy/extensions/filters/http/lua/v3/lua.proto',
  'envoy/extensions/filters/http/health_check/v3/health_check.proto',
  'envoy/extensions/filters/http/compressor/v3/compressor.proto',
  'envoy/extensions/compression/gzip/compressor/v3/gzip.proto',
  'envoy/extensions/filters/http/grpc_web/v3/grpc_web.proto',
  'envoy/extensions/filters/http/buffer/v3/buffer.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
  // The authn filter (a native dynamic module) and its ECDS resource; the module protos are vendored.
  'envoy/config/core/v3/extension.proto',
  'envoy/extensions/filters/http/dynamic_modules/v3/dynamic_modules.proto',
  // Access logs, upstream protocol options, request ids, early header mutation, load balancing,
  // aggregate clusters.
  'envoy/extensions/access_loggers/file/v3/file.proto',
  'envoy/extensions/access_loggers/stream/v3/stream.proto',
  'envoy/extensions/access_loggers/grpc/v3/als.proto',
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
  'envoy/extensions/request_id/uuid/v3/uuid.proto',
  'envoy/extensions/http/early_header_mutation/header_mutation/v3/header_mutation.proto',
  'envoy/extensions/load_balancing_policies/round_robin/v3/round_robin.proto',
  'envoy/extensions/load_balancing_policies/least_request/v3/least_request.proto',
  'envoy/extensions/load_balancing_policies/ring_hash/v3/ring_hash.proto',
  'envoy/extensions/load_balancing_policies/wrr_locality/v3/wrr_locality.proto',
  'envoy/extensions/clusters/aggregate/v3/cluster.proto',
  'xds/type/v3/typed_struct.proto',
  'udpa/type/v1/typed_struct.proto',
  // Bootstrap (standalone mode writes Envoy bootstraps).
  'envoy/config/bootstrap/v3/bootstrap.proto',
  // Vendored in xds-server/protos.
  'ratelimit/config/ratelimit/v3/rls_conf.proto',
];
