// Node identity on ADS requests: envoyproxy/ratelimit names its fleet in node metadata, since its
// xDS client cannot set node.cluster.
import { defaultRegistry } from '../proto';
import { XdsCodec } from './messages';

describe('XdsCodec node', () => {
  const registry = defaultRegistry();
  const codec = new XdsCodec(registry);
  const type = registry.root.lookupType('envoy.service.discovery.v3.DiscoveryRequest');

  it('reads the string values of node.metadata', () => {
    const bytes = type.encode(type.fromObject({
      type_url: 'type.googleapis.com/ratelimit.config.ratelimit.v3.RateLimitConfig',
      node: { id: 'ratelimit-0', metadata: { fields: { fleet: { stringValue: 'turnpike:ratelimit' }, replicas: { numberValue: 2 } } } },
    })).finish();
    expect(codec.decodeRequest(bytes).node).toEqual({ id: 'ratelimit-0', cluster: '', user_agent_name: '', metadata: { fleet: 'turnpike:ratelimit' } });
  });

  it('gives an empty map without metadata', () => {
    const bytes = type.encode(type.fromObject({ node: { id: 'envoy-0', cluster: 'turnpike' } })).finish();
    expect(codec.decodeRequest(bytes).node).toEqual({ id: 'envoy-0', cluster: 'turnpike', user_agent_name: '', metadata: {} });
  });

  it("decodes a Delta request carrying Envoy's whole node: the identity and every request field", () => {
    const delta = registry.root.lookupType('envoy.service.discovery.v3.DeltaDiscoveryRequest');
    const extensions = Array.from({ length: 400 }, (_, i) => ({ name: `envoy.ext.${i}`, category: 'envoy.filters.http', type_urls: [`type.googleapis.com/x.v3.E${i}`] }));
    const bytes = delta.encode(delta.fromObject({
      node: {
        id: 'envoy-0', cluster: 'turnpike', user_agent_name: 'envoy', user_agent_build_version: { version: { major_number: 1, minor_number: 36 } },
        extensions, client_features: ['envoy.lb.does_not_support_overprovisioning'], metadata: { fields: { zone: { stringValue: 'a' } } },
      },
      type_url: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
      resource_names_subscribe: ['http/default/grp-0'], resource_names_unsubscribe: ['gone'],
      initial_resource_versions: { 'http/default/grp-1': 'v1' },
      response_nonce: '7', error_detail: { code: 3, message: 'bad route' },
    })).finish();
    expect(codec.decodeDeltaRequest(bytes)).toEqual({
      node: { id: 'envoy-0', cluster: 'turnpike', user_agent_name: 'envoy', metadata: { zone: 'a' } },
      type_url: 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration',
      resource_names_subscribe: ['http/default/grp-0'], resource_names_unsubscribe: ['gone'],
      initial_resource_versions: new Map([['http/default/grp-1', 'v1']]),
      response_nonce: '7', error_detail: { code: 3, message: 'bad route' },
    });
  });
});
