// Scoped RDS references: a scope names its RouteConfiguration; the HCM's scoped_routes names none.
import { TYPE_URLS } from '../proto';
import { referencesOf } from './references';

describe('referencesOf for Scoped RDS', () => {
  it('a scope references its route configuration', () => {
    const scope = { name: 'http/a.example.test', route_configuration_name: 'http/ns/a', key: { fragments: [{ string_key: 'a.example.test' }] } };
    expect(referencesOf(TYPE_URLS.scopedRouteConfiguration, scope)).toEqual([{ typeUrl: TYPE_URLS.routeConfiguration, name: 'http/ns/a', path: 'route_configuration_name' }]);
  });

  it('an HCM with scoped_routes references no route configuration', () => {
    const ads = { ads: {}, resource_api_version: 'V3' };
    const hcm = {
      '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
      scoped_routes: { name: 'http', rds_config_source: ads, scoped_rds: { scoped_rds_config_source: ads } },
    };
    const listener = { name: 'http', filter_chains: [{ filters: [{ name: 'hcm', typed_config: hcm }] }] };
    expect(referencesOf(TYPE_URLS.listener, listener)).toEqual([]);
  });
});
