// Builders for small, valid Envoy resources (proto3 JSON). Used by tests of this package and handy
// for other packages' tests; production code does not use them.
import { TYPE_URLS, type JsonObject } from '../proto';
import type { ResourceInput } from './types';

const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const ROUTER = { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } };
const ADS = { ads: {}, resource_api_version: 'V3' };

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export function edsCluster(name: string): JsonObject {
  return { name, type: 'EDS', connect_timeout: '1s', eds_cluster_config: { eds_config: ADS } };
}

export function loadAssignment(clusterName: string, endpoints: readonly Endpoint[]): JsonObject {
  return {
    cluster_name: clusterName,
    endpoints: [{
      locality: { region: 'local', zone: 'z1' },
      load_balancing_weight: 1,
      lb_endpoints: endpoints.map((e) => ({ endpoint: { address: { socket_address: { address: e.address, port_value: e.port } } } })),
    }],
  };
}

export interface RouteSpec {
  readonly prefix: string;
  readonly cluster: string;
}

export function routeConfiguration(name: string, routes: readonly RouteSpec[]): JsonObject {
  return {
    name,
    virtual_hosts: [{
      name: 'all', domains: ['*'],
      routes: routes.map((r) => ({ match: { prefix: r.prefix }, route: { cluster: r.cluster } })),
    }],
  };
}

/** An Envoy listener on 127.0.0.1:`port` whose HCM fetches `routeName` over ADS. */
export function httpListener(name: string, port: number, routeName: string): JsonObject {
  return {
    name,
    address: { socket_address: { address: '127.0.0.1', port_value: port } },
    filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: { '@type': HCM, stat_prefix: name, rds: { route_config_name: routeName, config_source: ADS }, http_filters: [ROUTER] } }] }],
  };
}

/** A gRPC proxyless (api_listener) listener whose HCM fetches `routeName` over ADS. */
export function apiListener(name: string, routeName: string, extraFilters: readonly JsonObject[] = []): JsonObject {
  return {
    name,
    api_listener: { api_listener: { '@type': HCM, rds: { route_config_name: routeName, config_source: ADS }, http_filters: [...extraFilters, ROUTER] } },
  };
}

export function secret(name: string): JsonObject {
  return { name, generic_secret: { secret: { inline_string: `value-of-${name}` } } };
}

/** Builds translator-shaped input from per-type resource lists keyed by their own names. */
export function resourceInput(byType: Readonly<Record<string, readonly JsonObject[]>>): ResourceInput {
  const out = new Map<string, Map<string, JsonObject>>();
  for (const [typeUrl, list] of Object.entries(byType)) {
    const key = typeUrl === TYPE_URLS.clusterLoadAssignment ? 'cluster_name' : 'name';
    out.set(typeUrl, new Map(list.map((r) => [typeof r[key] === 'string' ? r[key] : '', r])));
  }
  return out;
}

/** A consistent world: one listener and route config, and an EDS cluster + endpoints per cluster name. */
export function world(options: { readonly listenerPort: number; readonly clusters: readonly string[]; readonly endpoint: Endpoint; readonly routeName?: string; readonly listenerName?: string }): ResourceInput {
  const routeName = options.routeName ?? 'routes';
  return resourceInput({
    [TYPE_URLS.listener]: [httpListener(options.listenerName ?? 'http', options.listenerPort, routeName)],
    [TYPE_URLS.routeConfiguration]: [routeConfiguration(routeName, options.clusters.map((c) => ({ prefix: `/${c}`, cluster: c })))],
    [TYPE_URLS.cluster]: options.clusters.map(edsCluster),
    [TYPE_URLS.clusterLoadAssignment]: options.clusters.map((c) => loadAssignment(c, [options.endpoint])),
  });
}
