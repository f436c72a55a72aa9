import { fleetOf } from './runtime';

describe('fleetOf', () => {
  it('takes node.cluster, else the fleet named in node metadata (envoyproxy/ratelimit)', () => {
    expect(fleetOf({ id: 'envoy-0', cluster: 'turnpike', user_agent_name: 'envoy' })).toBe('turnpike');
    expect(fleetOf({ id: 'rl-0', cluster: '', user_agent_name: '', metadata: { fleet: 'turnpike:ratelimit' } })).toBe('turnpike:ratelimit');
    expect(fleetOf({ id: 'x', cluster: '', user_agent_name: '', metadata: {} })).toBeUndefined();
    expect(fleetOf({ id: 'x', cluster: '', user_agent_name: '' })).toBeUndefined();
  });
});
