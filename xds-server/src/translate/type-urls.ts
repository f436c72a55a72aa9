/** The xDS resource types the translator produces, by type URL. */
export const LISTENER_TYPE = 'type.googleapis.com/envoy.config.listener.v3.Listener';
export const ROUTE_TYPE = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration';
/** Scoped RDS: (host, scheme) → the RouteConfiguration of one group and listener side. */
export const SCOPED_ROUTE_TYPE = 'type.googleapis.com/envoy.config.route.v3.ScopedRouteConfiguration';
export const CLUSTER_TYPE = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';
export const ENDPOINT_TYPE = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment';
export const SECRET_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret';
/** ECDS: the authn filter's configuration (authn.ts). */
export const EXTENSION_CONFIG_TYPE = 'type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig';

export type ResourceTypeUrl = typeof LISTENER_TYPE | typeof ROUTE_TYPE | typeof SCOPED_ROUTE_TYPE | typeof CLUSTER_TYPE | typeof ENDPOINT_TYPE | typeof SECRET_TYPE | typeof EXTENSION_CONFIG_TYPE;

/**
 * In the order a snapshot must apply them: clusters before the routes that use them, a filter's
 * configuration before the listeners that name it, and a route configuration before the scope
 * that points at it.
 */
export const RESOURCE_TYPES: readonly ResourceTypeUrl[] = [CLUSTER_TYPE, ENDPOINT_TYPE, SECRET_TYPE, EXTENSION_CONFIG_TYPE, LISTENER_TYPE, ROUTE_TYPE, SCOPED_ROUTE_TYPE];
