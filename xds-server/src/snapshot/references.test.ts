// References are read from the messages as the registry encodes them, whatever JSON names the
// input used, inside Anys too.
import { defaultRegistry, TYPE_URLS, type JsonObject } from '../proto';
import { referencesOf } from './references';

const registry = defaultRegistry();
const refs = (typeUrl: string, json: JsonObject): ReturnType<typeof referencesOf> => referencesOf(typeUrl, registry.encodeVisiting(typeUrl, json).messages);
const ads = { ads: {}, resource_api_version: 'V3' };
const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';

describe('referencesOf for Scoped RDS', () => {
  it('a scope references its route configuration', () => {
    const scope = { name: 'http/a.example.test', route_configuration_name: 'http/ns/a', key: { fragments: [{ string_key: 'a.example.test' }] } };
    expect(refs(TYPE_URLS.scopedRouteConfiguration, scope)).toEqual([{ typeUrl: TYPE_URLS.routeConfiguration, name: 'http/ns/a', path: 'route_configuration_name' }]);
  });

  it('an HCM with scoped_routes references no route configuration', () => {
    const hcm = { '@type': HCM, stat_prefix: 'http', scoped_routes: { name: 'http', rds_config_source: ads, scoped_rds: { scoped_rds_config_source: ads } } };
    const listener = { name: 'http', filter_chains: [{ filters: [{ name: 'hcm', typed_config: hcm }] }] };
    expect(refs(TYPE_URLS.listener, listener)).toEqual([]);
  });
});

describe('referencesOf', () => {
  it('finds a reference inside an Any, at the path of its JSON', () => {
    const hcm = { '@type': HCM, stat_prefix: 'http', rds: { route_config_name: 'routes', config_source: ads } };
    const listener = { name: 'http', filter_chains: [{ filters: [{ name: 'hcm', typed_config: hcm }] }] };
    expect(refs(TYPE_URLS.listener, listener)).toEqual([{ typeUrl: TYPE_URLS.routeConfiguration, name: 'routes', path: 'filter_chains[0].filters[0].typed_config.rds.route_config_name' }]);
  });

  it('reads JSON names as their proto names', () => {
    const route = { name: 'r', virtualHosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { weightedClusters: { clusters: [{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }] } } }] }] };
    expect(refs(TYPE_URLS.routeConfiguration, route).map((r) => `${r.name} @ ${r.path}`)).toEqual([
      'a @ virtual_hosts[0].routes[0].route.weighted_clusters.clusters[0].name',
      'b @ virtual_hosts[0].routes[0].route.weighted_clusters.clusters[1].name',
    ]);
  });

  it('an EDS cluster references its load assignment; an aggregate cluster its clusters', () => {
    const eds = { name: 'a', type: 'EDS', eds_cluster_config: { eds_config: ads } };
    expect(refs(TYPE_URLS.cluster, eds)).toEqual([{ typeUrl: TYPE_URLS.clusterLoadAssignment, name: 'a', path: 'eds_cluster_config' }]);
    const aggregate = {
      name: 'both',
      cluster_type: { name: 'envoy.clusters.aggregate', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.clusters.aggregate.v3.ClusterConfig', clusters: ['a', 'b'] } },
    };
    expect(refs(TYPE_URLS.cluster, aggregate).map((r) => `${r.name} @ ${r.path}`)).toEqual(['a @ cluster_type.typed_config.clusters[0]', 'b @ cluster_type.typed_config.clusters[1]']);
  });

  it('takes no metadata value for a reference', () => {
    const route = { name: 'r', virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, direct_response: { status: 200 }, metadata: { filter_metadata: { x: { cluster: 'not-a-cluster' } } } }] }] };
    expect(refs(TYPE_URLS.routeConfiguration, route)).toEqual([]);
  });
});
