// RateLimitConfigs encode with the registry the snapshot cache uses, plus the descriptor contract
// between routes and the service. Their content is in the operator's goldens (the `ratelimit:`
// section of operator/testdata/cases/throttle-*.out.yaml).
import { defaultRegistry } from '../proto';
import { buildRateLimitConfig, RATELIMIT_CONFIG_TYPE, translateRateLimitConfig } from './ratelimit-config';
import { defaultApiDescriptor, inMode, throttleDescriptors } from './ratelimit';
import { POLICY_CASES } from './testing/policy-cases';
import type { JsonObject } from './json';

function expectRoundTrip(config: JsonObject | undefined): void {
  expect(config).toBeDefined();
  const registry = defaultRegistry();
  expect(registry.decode(registry.encode(RATELIMIT_CONFIG_TYPE, config!))).toEqual(config);
}

describe('RateLimitConfig', () => {
  const ir = POLICY_CASES['policies-ratelimit'];
  if (ir === undefined) throw new Error('missing case');

  it('encodes as ratelimit.config.ratelimit.v3.RateLimitConfig', () => {
    expectRoundTrip(buildRateLimitConfig(ir));
  });

  it('counts every Api in all its environments against the default limit, when one is set', () => {
    const withDefault = POLICY_CASES['policies-default-limit'];
    if (withDefault === undefined) throw new Error('missing case');
    const config = buildRateLimitConfig(withDefault);
    expectRoundTrip(config);
    // RELEASE and DEV of one Api send the same descriptor: one counter for the Api.
    const open = withDefault.groups.flatMap((g) => g.routes).filter((r) => r.source.name === 'open');
    expect(new Set(open.map((r) => JSON.stringify(defaultApiDescriptor(r.source)))).size).toBe(1);
    expect(defaultApiDescriptor(open[0]!.source)).toEqual({ actions: [{ generic_key: { descriptor_key: 'api_allenv', descriptor_value: 'shop/open' } }] });
    const mode = (config?.descriptors as { value?: string; descriptors?: unknown[] }[]).find((d) => d.value === 'limits');
    expect(mode?.descriptors).toContainEqual({ key: 'api_allenv', rate_limit: { unit: 'SECOND', requests_per_unit: 200, name: 'api-allenv' } });
  });

  it('gives a normal call and a debug call of a limit the same counter, each only on its side of X-Apig-Mode', () => {
    const api = throttleDescriptors(ir.groups[0]!.routes[0]!.policies!.throttle!, 'RELEASE').get('api')!;
    const [normal, debug] = [inMode(api, false), inMode(api, true)];
    const entry = (d: JsonObject): unknown => (d.actions as JsonObject[])[0]?.header_value_match;
    const isDebug = { name: 'x-apig-mode', string_match: { exact: 'debug', ignore_case: true } };
    expect(entry(debug)).toEqual({ descriptor_value: 'limits', headers: [isDebug] });
    expect(entry(normal)).toEqual({ descriptor_value: 'limits', headers: [{ ...isDebug, invert_match: true, treat_missing_header_as_empty: true }] });
    expect((normal.actions as JsonObject[]).slice(1)).toEqual(api.actions);
    expect((debug.actions as JsonObject[]).slice(1)).toEqual(api.actions);
  });

  it('is absent without a rate-limit service, and one resource with one', () => {
    const without = POLICY_CASES['policies-acl-only'];
    if (without === undefined) throw new Error('missing case');
    expect(buildRateLimitConfig(without)).toBeUndefined();
    expect(translateRateLimitConfig(without).get(RATELIMIT_CONFIG_TYPE)?.size).toBe(0);
    expect([...(translateRateLimitConfig(ir).get(RATELIMIT_CONFIG_TYPE)?.keys() ?? [])]).toEqual(['turnpike']);
  });

  it('keys counters by policy and scope: PerApi per Api and environment, Shared per environment', () => {
    const routes = ir.groups.flatMap((g) => g.routes);
    const scopes = routes.flatMap((route) => {
      const throttle = route.policies?.throttle;
      if (throttle === undefined) return [];
      const api = throttleDescriptors(throttle, route.environment).get('api') as { actions: { generic_key?: { descriptor_value: string } }[] };
      return [api.actions.map((a) => a.generic_key?.descriptor_value).join(' ')];
    });
    expect(scopes).toEqual([
      'shop/gold RELEASE/get-user',
      'shop/shared RELEASE/*',
      'shop/shared DEV/*',
      'shop/vip RELEASE/report',
      'shop/gold RELEASE/secure',
    ]);
  });
});
