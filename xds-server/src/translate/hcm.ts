// The HTTP connection manager shared by the HTTP listener and every HTTPS filter chain.
import type { GatewayIR } from '../ir';
import { accessLogs } from './access-log';
import { httpFilters } from './features';
import { typed, type JsonObject } from './json';
import { localReplyConfig } from './local-reply';
import type { Side } from './routes';
import { scopedRoutes } from './scopes';
import { stageNormalisation } from './stage';

export function httpConnectionManager(ir: GatewayIR, side: Side): JsonObject {
  return {
    name: 'envoy.filters.network.http_connection_manager',
    typed_config: typed('envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', {
      stat_prefix: side,
      codec_type: 'AUTO',
      // The route configuration is chosen per request by (host, scheme): scopes.ts.
      scoped_routes: scopedRoutes(side),
      // Before the scope key is built: `:scheme` is this listener's, whatever the caller sent.
      scheme_header_transformation: { scheme_to_overwrite: side },
      // Before routing: the environment the request selects, for exact route matches.
      early_header_mutation_extensions: [stageNormalisation()],
      http_filters: httpFilters(ir),
      // Huawei's debug responses show `Server: api-gateway`.
      server_name: 'api-gateway',
      // Edge proxy: the peer address is the client (after trusted proxies), caller-supplied
      // X-Request-Id and x-envoy-* headers are not trusted.
      use_remote_address: true,
      xff_num_trusted_hops: ir.trustedProxyHops,
      // Every response carries X-Request-Id (the hygiene filter makes it 32 hex digits).
      always_set_request_id_in_response: true,
      request_id_extension: {
        typed_config: typed('envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig', {
          // The id is rewritten without dashes, so it cannot carry the trace reason.
          pack_trace_reason: false,
          use_request_id_for_trace_sampling: false,
        }),
      },
      // Route on the canonical path: no `..` tricks past a Prefix match, no `//` segments, and an
      // encoded slash or backslash (%2F, %5C) is one, so `..%2F` cannot climb out of a parameter
      // into another backend path. Huawei's signers read `%2F` as a separator too.
      normalize_path: true,
      merge_slashes: true,
      path_with_escaped_slashes_action: 'UNESCAPE_AND_FORWARD',
      // No strip_any_host_port: it rewrites the Host header, which callers sign. The scope key and
      // the route configurations ignore the port instead (scopes.ts, route-config.ts).
      // HTTP/1 responses spell headers as Huawei's do (X-Request-Id, X-Apig-Latency).
      http_protocol_options: { header_key_format: { proper_case_words: {} } },
      local_reply_config: localReplyConfig(),
      ...(ir.accessLog === undefined ? {} : { access_log: accessLogs(ir.accessLog) }),
    }),
  };
}
