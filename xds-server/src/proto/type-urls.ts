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
