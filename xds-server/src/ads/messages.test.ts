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
});
