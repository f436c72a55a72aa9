/**
 * Envoy's bootstrap for a Turnpike fleet: everything but the xDS server's address arrives over ADS.
 * Used by standalone mode, the e2e harness and (rendered the same way) the Helm chart.
 */
export interface BootstrapOptions {
  /** node.id: unique per Envoy. */
  readonly nodeId: string;
  /** node.cluster: the fleet whose snapshot this Envoy receives. */
  readonly fleet: string;
  readonly xdsHost: string;
  readonly xdsPort: number;
  /** State of the world (GRPC) or incremental (DELTA_GRPC). Default DELTA_GRPC. */
  readonly apiType?: 'GRPC' | 'DELTA_GRPC';
  /** Admin listener port on 127.0.0.1; 0 = ephemeral (use --admin-address-path to find it). */
  readonly adminPort?: number;
  /**
   * Serve Envoy's Prometheus stats, and nothing else of the admin interface, on 0.0.0.0:this port
   * (`GET /stats/prometheus`, for scrapers); needs a fixed adminPort. Absent: not served.
   */
  readonly metricsPort?: number;
  /** Mutual TLS to the xDS server; absent: plaintext. */
  readonly xdsTls?: XdsClientTls;
}

/**
 * Envoy's client side of mutual TLS on xDS. Its certificate and trusted CA come from files through
 * file-based SDS, so a renewed certificate is picked up without a restart: Envoy watches `certDir`
 * and reloads when a file is moved into it (how kubelet updates a mounted Secret).
 */
export interface XdsClientTls {
  /** Holds `tls.crt`, `tls.key` and `ca.crt` (a mounted kubernetes.io/tls Secret). */
  readonly certDir: string;
  /** Where the files of xdsTlsSdsFiles() are, as Envoy sees them. */
  readonly sdsDir: string;
  /** The DNS name the xDS server's certificate must carry (also sent as SNI). */
  readonly serverName: string;
}

const SDS_CERTIFICATE = 'turnpike-xds-client-certificate';
const SDS_CA = 'turnpike-xds-trusted-ca';
const SECRET_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';

/** The SDS files the bootstrap's xDS TLS refers to: file name in `sdsDir` → content. */
export function xdsTlsSdsFiles(tls: XdsClientTls): Record<string, JsonObject> {
  const file = (name: string): JsonObject => ({ filename: `${tls.certDir}/${name}` });
  const watched = { path: tls.certDir };
  return {
    [`${SDS_CERTIFICATE}.json`]: {
      resources: [{ '@type': SECRET_TYPE, name: SDS_CERTIFICATE, tls_certificate: { certificate_chain: file('tls.crt'), private_key: file('tls.key'), watched_directory: watched } }],
    },
    [`${SDS_CA}.json`]: {
      resources: [{ '@type': SECRET_TYPE, name: SDS_CA, validation_context: { trusted_ca: file('ca.crt'), watched_directory: watched } }],
    },
  };
}

function xdsTransportSocket(tls: XdsClientTls): JsonObject {
  const sds = (name: string): JsonObject => ({
    name,
    sds_config: { path_config_source: { path: `${tls.sdsDir}/${name}.json`, watched_directory: { path: tls.sdsDir } }, resource_api_version: 'V3' },
  });
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: {
      '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
      sni: tls.serverName,
      common_tls_context: {
        tls_certificate_sds_secret_configs: [sds(SDS_CERTIFICATE)],
        combined_validation_context: {
          default_validation_context: { match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: tls.serverName } }] },
          validation_context_sds_secret_config: sds(SDS_CA),
        },
      },
    },
  };
}

export const XDS_CLUSTER = 'turnpike-xds';
export const ADMIN_CLUSTER = 'turnpike-admin';
export const METRICS_LISTENER = 'turnpike-metrics';
/** The only admin path the metrics listener forwards: the rest (/config_dump holds secrets) stays on loopback. */
export const METRICS_PATH = '/stats/prometheus';

export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * Forwarding routes have the stat prefix `<namespace>/<api>/<environment>` (translate/routes.ts),
 * so their stats are `vhost.<namespace>/<group>.route.<namespace>/<api>/<environment>.upstream_rq_…`.
 * These tags take the Api and the environment out of the name into labels (turnpike_api,
 * turnpike_environment), leaving `envoy_vhost_route_upstream_rq_…` with Envoy's own
 * envoy_virtual_host label as the group. Names and environments hold no `/`, environments no `.`.
 */
export const ROUTE_STATS_TAGS: readonly JsonObject[] = [
  { tag_name: 'turnpike_api', regex: '^vhost\\..+?\\.route\\.(([^/.]+/[^/]+)/)[^/.]+\\.upstream_' },
  { tag_name: 'turnpike_environment', regex: '^vhost\\..+?\\.route\\.[^/.]+/[^/]+/(([^/.]+)\\.)upstream_' },
];

export function envoyBootstrap(options: BootstrapOptions): JsonObject {
  const ads = { ads: {}, resource_api_version: 'V3' };
  return {
    node: { id: options.nodeId, cluster: options.fleet },
    admin: { address: { socket_address: { address: '127.0.0.1', port_value: options.adminPort ?? 0 } } },
    dynamic_resources: {
      ads_config: {
        api_type: options.apiType ?? 'DELTA_GRPC',
        transport_api_version: 'V3',
        grpc_services: [{ envoy_grpc: { cluster_name: XDS_CLUSTER } }],
        set_node_on_first_message_only: true,
      },
      cds_config: ads,
      lds_config: ads,
    },
    static_resources: {
      ...metricsListener(options),
      clusters: [
        {
          name: XDS_CLUSTER,
          type: 'STRICT_DNS',
          connect_timeout: '1s',
          // xDS is gRPC: HTTP/2 to the control plane, with keepalives so a dead replica is noticed.
          typed_extension_protocol_options: {
            'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
              '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
              explicit_http_config: {
                http2_protocol_options: {
                  connection_keepalive: { interval: '5s', timeout: '5s' },
                },
              },
            },
          },
          ...(options.xdsTls === undefined ? {} : { transport_socket: xdsTransportSocket(options.xdsTls) }),
          load_assignment: {
            cluster_name: XDS_CLUSTER,
            endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: options.xdsHost, port_value: options.xdsPort } } } }] }],
          },
        },
        ...adminCluster(options),
      ],
    },
    stats_config: { stats_tags: [...ROUTE_STATS_TAGS] },
    // Envoy's edge recommendation: cap downstream connections so overload sheds cleanly.
    overload_manager: {
      resource_monitors: [{
        name: 'envoy.resource_monitors.global_downstream_max_connections',
        typed_config: {
          '@type': 'type.googleapis.com/envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig',
          max_active_downstream_connections: 50000,
        },
      }],
    },
  };
}

function serving(options: BootstrapOptions): options is BootstrapOptions & { metricsPort: number; adminPort: number } {
  if (options.metricsPort === undefined) return false;
  if (options.adminPort === undefined || options.adminPort === 0) throw new Error('envoyBootstrap: metricsPort needs a fixed adminPort');
  return true;
}

/** The metrics listener: GET /stats/prometheus to the admin interface, 404 for anything else. */
function metricsListener(options: BootstrapOptions): JsonObject {
  if (!serving(options)) return {};
  return {
    listeners: [{
      name: METRICS_LISTENER,
      address: { socket_address: { address: '0.0.0.0', port_value: options.metricsPort } },
      filter_chains: [{
        filters: [{
          name: 'envoy.filters.network.http_connection_manager',
          typed_config: {
            '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
            stat_prefix: METRICS_LISTENER,
            route_config: {
              virtual_hosts: [{
                name: METRICS_LISTENER, domains: ['*'],
                routes: [{ match: { path: METRICS_PATH, headers: [{ name: ':method', string_match: { exact: 'GET' } }] }, route: { cluster: ADMIN_CLUSTER } }],
              }],
            },
            http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
          },
        }],
      }],
    }],
  };
}

function adminCluster(options: BootstrapOptions): JsonObject[] {
  if (!serving(options)) return [];
  return [{
    name: ADMIN_CLUSTER,
    type: 'STATIC',
    connect_timeout: '1s',
    load_assignment: {
      cluster_name: ADMIN_CLUSTER,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: options.adminPort } } } }] }],
    },
  }];
}
