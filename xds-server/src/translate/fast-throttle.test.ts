import type { JsonObject } from './json';
import { fastThrottleConfig, share, tightestLimit } from './fast-throttle';
import { POLICY_CASES } from './testing/policy-cases';

interface Descriptor { entries: { key: string; value: string }[]; token_bucket: { max_tokens: number; tokens_per_fill: number; fill_interval: string } }
const descriptors = (config: JsonObject): Descriptor[] => (config.typed_config as unknown as { value: { descriptors: Descriptor[] } }).value.descriptors;
const ir = POLICY_CASES['policies-fast']!;

describe('Fast throttling', () => {
  it('gives each Envoy ceil(limit / envoys): exact alone, never more than limit + envoys - 1 together', () => {
    expect([share(7, 1), share(7, 2), share(7, 3), share(1, 5), share(9, 0)]).toEqual([7, 4, 3, 1, 9]);
    for (let limit = 1; limit <= 50; limit += 1) {
      for (let envoys = 1; envoys <= 12; envoys += 1) {
        expect(envoys * share(limit, envoys)).toBeLessThanOrEqual(limit + envoys - 1);
        expect(envoys * share(limit, envoys)).toBeGreaterThanOrEqual(limit);
      }
    }
  });

  it('holds one bucket per policy and scope, special Apps and wildcards for app and ip, at the share of the connected Envoys', () => {
    const atThree = descriptors(fastThrottleConfig(ir, 3));
    const byKey = new Map(atThree.map((d) => [d.entries.map((e) => `${e.key}=${e.value}`).join(' '), d.token_bucket]));
    expect(byKey.get('throttle=shop/gold scope=RELEASE/get-user')).toEqual({ max_tokens: 34, tokens_per_fill: 34, fill_interval: '60s' });
    expect(byKey.get('throttle=shop/gold scope=RELEASE/get-user app=shop/partner')?.max_tokens).toBe(17);
    expect(byKey.get('throttle=shop/gold scope=RELEASE/get-user app=')?.max_tokens).toBe(7);
    expect(byKey.get('throttle=shop/gold scope=RELEASE/get-user remote_address=')?.max_tokens).toBe(4);
    // Shared: one bucket per environment for every Api of the policy.
    expect([...byKey.keys()].filter((k) => k.startsWith('throttle=shop/shared'))).toEqual(['throttle=shop/shared scope=DEV/*', 'throttle=shop/shared scope=RELEASE/*']);
    expect(byKey.get('throttle=shop/shared scope=RELEASE/*')).toEqual({ max_tokens: 2, tokens_per_fill: 2, fill_interval: '1s' });
  });

  it('names the limit Envoy reports on a passing call: the smallest, app only where an App is authenticated', () => {
    const route = ir.groups[0]!.routes[0]!;
    const throttle = route.policies!.throttle!;
    expect(tightestLimit(throttle, route)).toBe('ip');
    expect(tightestLimit({ ...throttle, ip: 500 }, route)).toBe('api');
    expect(tightestLimit({ ...throttle, ip: 500 }, { ...route, auth: { type: 'APP' } } as typeof route)).toBe('app');
  });
});
