import { ProtoError } from './proto-error';
import type { JsonObject } from './json';
import { defaultRegistry } from './registry';
import { TYPE_URLS } from './type-urls';

const registry = defaultRegistry();

const listener: JsonObject = {
  name: 'http',
  address: { socket_address: { address: '127.0.0.1', port_value: 8080 } },
  filter_chains: [{
    filters: [{
      name: 'envoy.filters.network.http_connection_manager',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
        stat_prefix: 'http',
        rds: { route_config_name: 'routes', config_source: { ads: {}, resource_api_version: 'V3' } },
        http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
        common_http_protocol_options: { idle_timeout: '1.500s' },
      },
    }],
  }],
};

function encodeError(typeUrl: string, json: JsonObject): ProtoError {
  try {
    registry.encode(typeUrl, json);
  } catch (err: unknown) {
    if (err instanceof ProtoError) return err;
    throw err;
  }
  throw new Error('expected a ProtoError');
}

describe('ProtoRegistry', () => {
  it('round-trips a listener with nested Anys and well-known types', () => {
    const any = registry.encode(TYPE_URLS.listener, listener);
    expect(any.type_url).toBe(TYPE_URLS.listener);
    expect(registry.decode(any)).toEqual(listener);
  });

  it('accepts lowerCamelCase JSON names and decodes to proto names', () => {
    const any = registry.encode(TYPE_URLS.cluster, { name: 'c', connectTimeout: '0.250s', type: 'EDS', edsClusterConfig: { edsConfig: { ads: {} } } });
    expect(registry.decode(any)).toEqual({ name: 'c', connect_timeout: '0.250s', type: 'EDS', eds_cluster_config: { eds_config: { ads: {} } } });
  });

  it('encodes deterministically: map key order and implicit defaults do not change the bytes', () => {
    const a = registry.encodeMessage(TYPE_URLS.cluster, { name: 'c', metadata: { filter_metadata: { b: { x: 1 }, a: { y: 'z' } } }, alt_stat_name: '' });
    const b = registry.encodeMessage(TYPE_URLS.cluster, { name: 'c', metadata: { filter_metadata: { a: { y: 'z' }, b: { x: 1 } } } });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('keeps the string "0" (only a 64-bit integer\'s zero is its default)', () => {
    const route: JsonObject = { name: '0', virtual_hosts: [{ name: '0', domains: ['*'], request_headers_to_add: [{ header: { key: 'x-zero', value: '0' } }] }] };
    expect(registry.decode(registry.encode(TYPE_URLS.routeConfiguration, route))).toEqual(route);
    const withRange = (range: JsonObject): Uint8Array => registry.encodeMessage(TYPE_URLS.routeConfiguration, {
      name: 'r', virtual_hosts: [{ name: 'v', domains: ['*'], routes: [{ match: { prefix: '/', headers: [{ name: 'n', range_match: range }] }, direct_response: { status: 200 } }] }],
    });
    expect(Buffer.from(withRange({ start: '0', end: '10' })).equals(Buffer.from(withRange({ end: '10' })))).toBe(true);
  });

  it('handles Struct, wrappers, enums, int64 and bytes', () => {
    const cla: JsonObject = {
      cluster_name: 'svc',
      endpoints: [{ locality: { zone: 'z' }, load_balancing_weight: 3, lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.1', port_value: 80 } } }, metadata: { filter_metadata: { m: { k: [1, 'two', null, { n: true }] } } } }] }],
      policy: { overprovisioning_factor: 140 },
    };
    expect(registry.decode(registry.encode(TYPE_URLS.clusterLoadAssignment, cla))).toEqual(cla);
    const secret: JsonObject = { name: 's', generic_secret: { secret: { inline_bytes: Buffer.from('hi').toString('base64') } } };
    expect(registry.decode(registry.encode(TYPE_URLS.secret, secret))).toEqual(secret);
    const rl: JsonObject = { name: 'd', domain: 'd', descriptors: [{ key: 'k', rate_limit: { unit: 'MINUTE', requests_per_unit: 10 } }] };
    expect(registry.decode(registry.encode(TYPE_URLS.rateLimitConfig, rl))).toEqual(rl);
  });

  it.each<[string, string, JsonObject, string]>([
    ['unknown field', TYPE_URLS.cluster, { name: 'c', bogus: 1 }, 'bogus: unknown field in envoy.config.cluster.v3.Cluster'],
    ['wrong scalar type', TYPE_URLS.cluster, { name: 7 }, 'name: expected a string, got 7'],
    ['uint32 out of range', TYPE_URLS.clusterLoadAssignment, { cluster_name: 'x', endpoints: [{ load_balancing_weight: -1 }] }, 'endpoints[0].load_balancing_weight: expected a uint32 in range, got -1'],
    ['bad enum', TYPE_URLS.cluster, { name: 'c', type: 'NOPE' }, 'type: "NOPE" is not a value of envoy.config.cluster.v3.Cluster.DiscoveryType'],
    ['bad duration', TYPE_URLS.cluster, { name: 'c', connect_timeout: 5 }, 'connect_timeout: expected a duration like "1.5s", got 5'],
    ['two members of a oneof', TYPE_URLS.cluster, { name: 'c', type: 'EDS', cluster_type: { name: 'x' } }, 'cluster_type: oneof cluster_discovery_type already set by type'],
    ['same field twice (proto and JSON name)', TYPE_URLS.cluster, { name: 'c', connect_timeout: '1s', connectTimeout: '1s' }, 'connectTimeout: field given twice (connect_timeout)'],
    ['array expected', TYPE_URLS.listener, { name: 'l', filter_chains: {} }, 'filter_chains: expected an array'],
  ])('rejects %s with its path', (_what, typeUrl, json, message) => {
    const err = encodeError(typeUrl, json);
    expect(err.code).toBe('XDS_PROTO_INVALID_JSON');
    expect(err.message).toBe(message);
  });

  it('rejects unknown fields inside an Any, naming the Any type in the path', () => {
    const bad = JSON.parse(JSON.stringify(listener)) as { filter_chains: [{ filters: [{ typed_config: Record<string, unknown> }] }] };
    bad.filter_chains[0].filters[0].typed_config['stat_prefx'] = 'typo';
    const err = encodeError(TYPE_URLS.listener, bad as unknown as JsonObject);
    expect(err.message).toBe(
      'filter_chains[0].filters[0].typed_config<envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager>.stat_prefx: unknown field in envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
    );
  });

  it('rejects an Any whose type is not registered, and unknown resource types', () => {
    const err = encodeError(TYPE_URLS.cluster, { name: 'c', typed_extension_protocol_options: { x: { '@type': 'type.googleapis.com/no.such.Type' } } });
    expect(err.code).toBe('XDS_PROTO_UNKNOWN_TYPE');
    expect(err.path).toBe('typed_extension_protocol_options["x"].@type');
    expect(encodeError('type.googleapis.com/no.such.Type', {}).code).toBe('XDS_PROTO_UNKNOWN_TYPE');
  });

  it('rejects a top-level @type that disagrees with the type URL', () => {
    expect(encodeError(TYPE_URLS.cluster, { '@type': TYPE_URLS.listener, name: 'c' }).path).toBe('@type');
    expect(registry.decode(registry.encode(TYPE_URLS.cluster, { '@type': TYPE_URLS.cluster, name: 'c' }))).toEqual({ name: 'c' });
  });
});
