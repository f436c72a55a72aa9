// Type URLs of the resources Turnpike serves.

export const TYPE_URLS = {
  listener: 'type.googleapis.com/envoy.config.listener.v3.Listener',
  routeConfiguration: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
  scopedRouteConfiguration: 'type.googleapis.com/envoy.config.route.v3.ScopedRouteConfiguration',
  cluster: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
  clusterLoadAssignment: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment',
  secret: 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret',
  extensionConfig: 'type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig',
  rateLimitConfig: 'type.googleapis.com/ratelimit.config.ratelimit.v3.RateLimitConfig',
} as const;

export type KnownTypeUrl = (typeof TYPE_URLS)[keyof typeof TYPE_URLS];

/** The types the Envoy translation produces (translate/index.ts). */
export type ResourceTypeUrl = Exclude<KnownTypeUrl, typeof TYPE_URLS.rateLimitConfig>;

/**
 * The order a snapshot applies them in, and ADS pushes them in (ads/target.ts): clusters before the
 * routes that use them, a filter's configuration before the listeners that name it, and a route
 * configuration before the scope that points at it.
 */
export const RESOURCE_ORDER: readonly ResourceTypeUrl[] = [
  TYPE_URLS.cluster, TYPE_URLS.clusterLoadAssignment, TYPE_URLS.secret, TYPE_URLS.extensionConfig, TYPE_URLS.listener,
  TYPE_URLS.routeConfiguration, TYPE_URLS.scopedRouteConfiguration,
];
