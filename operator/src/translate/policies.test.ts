// ThrottlePolicy and AclPolicy attachment: precedence, conflicts, environments, counting scopes,
// special apps, IP entries, App rules only on APP Apis, and the rate-limit service switch.
import type { RouteIR } from '@turnpike/xds-server';
import type { GatewayConfig } from '../config';
import { toResourceSet, type KubeObject } from '../resources/resourceset';
import { testGateway, validate } from './testing';
import { translateResourceSet, type Translation } from '.';

const base: GatewayConfig = testGateway;
const withRateLimit: GatewayConfig = { ...base, rateLimit: { host: 'ratelimit', port: 8081 } };

const object = (kind: string, name: string, spec: Record<string, unknown>, created = '2026-01-01T00:00:00Z'): KubeObject => ({
  apiVersion: 'turnpike.dev/v1alpha1', kind, metadata: { name, namespace: 'team', creationTimestamp: created }, spec,
});
const group = object('ApiGroup', 'shop', { environments: [{ name: 'DEV' }] });
const api = (name: string, extra: Record<string, unknown> = {}): KubeObject =>
  object('Api', name, { groupRef: { name: 'shop' }, method: 'GET', path: `/${name}`, backend: { mock: { body: name } }, environments: ['RELEASE', 'DEV'], ...extra });
const throttle = (name: string, spec: Record<string, unknown>, created?: string): KubeObject => object('ThrottlePolicy', name, spec, created);
const acl = (name: string, spec: Record<string, unknown>, created?: string): KubeObject => object('AclPolicy', name, spec, created);
const app = (name: string, quota?: Record<string, unknown>): KubeObject => object('App', name, quota === undefined ? {} : { quota });

function translate(objects: readonly KubeObject[], config: GatewayConfig = withRateLimit): Translation {
  return translateResourceSet(toResourceSet(objects).set, config, validate);
}

function routes(result: Translation): Map<string, RouteIR> {
  return new Map(result.ir.groups.flatMap((g) => g.routes).map((r) => [`${r.source.name} ${r.environment}`, r]));
}

function policyOf(result: Translation, route: string, kind: 'throttle' | 'ipAcl' | 'appAcl'): string | undefined {
  return routes(result).get(route)?.policies?.[kind]?.source.name;
}

describe('ThrottlePolicy attachment', () => {
  const world = [
    group, api('a'), api('b'), app('gold'),
    throttle('group-wide', { targetRefs: [{ kind: 'ApiGroup', name: 'shop' }], limits: { api: 100 }, environments: ['RELEASE', 'DEV'] }),
    throttle('just-a', { targetRefs: [{ kind: 'Api', name: 'a' }], limits: { api: 10, app: 5 }, specialApps: [{ name: 'gold', limit: 8 }, { name: 'ghost', limit: 9 }] }, '2026-03-01T00:00:00Z'),
  ];

  it('prefers a policy on the Api over one on its group, per environment', () => {
    const result = translate(world);
    expect(policyOf(result, 'a RELEASE', 'throttle')).toBe('just-a');
    expect(policyOf(result, 'a DEV', 'throttle')).toBe('group-wide');
    expect(policyOf(result, 'b RELEASE', 'throttle')).toBe('group-wide');
  });

  it('defaults the window, counting and failure mode, and keeps only special apps that exist', () => {
    const result = translate(world);
    expect(routes(result).get('a RELEASE')?.policies?.throttle).toEqual({
      source: { kind: 'ThrottlePolicy', namespace: 'team', name: 'just-a' }, unit: 'MINUTE', precision: 'Fast', api: 10, app: 5,
      specialApps: [{ appId: 'team/gold', limit: 8 }], failClosed: false, scope: 'a',
    });
    expect(result.statuses.get('ThrottlePolicy/team/just-a')?.resolvedRefs).toEqual({ status: 'False', reason: 'AppNotFound', message: 'specialApps: App team/ghost not found' });
  });

  it('counts per Api, or once for every target when Shared', () => {
    const shared = throttle('shared', { targetRefs: [{ kind: 'Api', name: 'a' }, { kind: 'Api', name: 'b' }], limits: { api: 7 }, counting: 'Shared', window: { unit: 'SECOND' }, failureMode: 'FailClosed' });
    const result = translate([group, api('a'), api('b'), shared]);
    expect(routes(result).get('a RELEASE')?.policies?.throttle).toMatchObject({ scope: '*', unit: 'SECOND', failClosed: true });
    expect(routes(result).get('b RELEASE')?.policies?.throttle).toMatchObject({ scope: '*' });
    expect(routes(result).get('a DEV')?.policies).toBeUndefined();
  });

  it('keeps the older of two policies at the same level and reports the newer Conflicted', () => {
    const newer = throttle('newer', { targetRefs: [{ kind: 'ApiGroup', name: 'shop' }, { kind: 'Api', name: 'c' }], limits: { api: 1 } }, '2026-05-01T00:00:00Z');
    const result = translate([...world, api('c'), newer]);
    expect(policyOf(result, 'b RELEASE', 'throttle')).toBe('group-wide');
    expect(policyOf(result, 'c RELEASE', 'throttle')).toBe('newer');
    expect(result.statuses.get('ThrottlePolicy/team/newer')?.accepted).toMatchObject({ status: 'False', reason: 'Conflicted' });
    expect(result.statuses.get('ThrottlePolicy/team/newer')?.accepted.message).toContain('Api team/b in RELEASE already has ThrottlePolicy team/group-wide');
  });

  it('says why a valid policy applies nowhere', () => {
    const overridden = throttle('overridden', { targetRefs: [{ kind: 'ApiGroup', name: 'shop' }], limits: { api: 5 } });
    const own = throttle('own', { targetRefs: [{ kind: 'Api', name: 'a' }], limits: { api: 5 } });
    const devOnly = throttle('dev-only', { targetRefs: [{ kind: 'Api', name: 'b' }], limits: { api: 5 }, environments: ['STAGING'] });
    const result = translate([group, api('a'), overridden, own, devOnly]);
    expect(result.statuses.get('ThrottlePolicy/team/overridden')).toMatchObject({ inIR: false, notEnforced: expect.stringContaining('has a policy of its own') as unknown });
    expect(result.statuses.get('ThrottlePolicy/team/dev-only')).toMatchObject({ inIR: false, notEnforced: expect.stringContaining('none of its targets is published') as unknown });
  });

  it('reports targets that do not exist', () => {
    const result = translate([group, api('a'), throttle('t', { targetRefs: [{ kind: 'Api', name: 'a' }, { kind: 'ApiGroup', name: 'nope' }], limits: { api: 1 } })]);
    expect(result.statuses.get('ThrottlePolicy/team/t')?.resolvedRefs).toEqual({ status: 'False', reason: 'TargetNotFound', message: 'targetRefs: ApiGroup team/nope not found' });
    expect(policyOf(result, 'a RELEASE', 'throttle')).toBe('t');
  });

  it('defaults precision Fast for SECOND and MINUTE windows and Exact for HOUR and DAY, unless asked', () => {
    const precision = (window: { unit: 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY' }, asked?: 'Fast' | 'Exact'): string | undefined => {
      const policy = throttle('p', { targetRefs: [{ kind: 'Api', name: 'a' }], limits: { api: 7 }, window, ...(asked === undefined ? {} : { precision: asked }) });
      return routes(translate([group, api('a'), policy])).get('a RELEASE')?.policies?.throttle?.precision;
    };
    expect([precision({ unit: 'SECOND' }), precision({ unit: 'MINUTE' }), precision({ unit: 'HOUR' }), precision({ unit: 'DAY' })]).toEqual(['Fast', 'Fast', 'Exact', 'Exact']);
    expect(precision({ unit: 'MINUTE' }, 'Exact')).toBe('Exact');
  });

  it('serves the rate-limit service, the subdomain cap and App quotas only with a service configured; Fast needs none', () => {
    const exact = throttle('exact', { targetRefs: [{ kind: 'Api', name: 'b' }], limits: { api: 3 }, precision: 'Exact' });
    const objects = [...world, exact, app('metered', { limit: 1000, unit: 'HOUR' })];
    expect(translate(objects).ir.rateLimit).toEqual({
      service: { host: 'ratelimit', port: 8081 }, subdomainDailyLimit: 1000,
      appQuotas: [{ source: { kind: 'App', namespace: 'team', name: 'metered' }, limit: 1000, unit: 'HOUR' }],
    });
    const without = translate(objects, base);
    expect(without.ir.rateLimit).toBeUndefined();
    expect(without.statuses.get('ThrottlePolicy/team/exact')).toMatchObject({ inIR: false, notEnforced: expect.stringContaining('No rate-limit service is configured') as unknown });
    expect(translate(objects).statuses.get('ThrottlePolicy/team/exact')?.inIR).toBe(true);
    expect(without.statuses.get('ThrottlePolicy/team/group-wide')).toMatchObject({ inIR: true });
    expect(without.statuses.get('ThrottlePolicy/team/group-wide')?.notEnforced).toBeUndefined();
  });
});

describe('AclPolicy attachment', () => {
  it('turns IP entries into CIDRs and applies one policy of each type', () => {
    const result = translate([
      group, api('open'), api('signed', { auth: { type: 'APP' } }), app('partner'),
      acl('office', { targetRefs: [{ kind: 'ApiGroup', name: 'shop' }], action: 'ALLOW', type: 'IP', ips: ['10.0.0.1', '192.168.12.12-192.168.12.19', '2001:db8::/32'] }),
      acl('partners', { targetRefs: [{ kind: 'ApiGroup', name: 'shop' }], action: 'DENY', type: 'APP', apps: ['partner', 'gone'] }),
    ]);
    expect(routes(result).get('open RELEASE')?.policies?.ipAcl?.cidrs).toEqual([
      { address: '10.0.0.1', prefixLength: 32 }, { address: '192.168.12.12', prefixLength: 30 }, { address: '192.168.12.16', prefixLength: 30 }, { address: '2001:db8::', prefixLength: 32 },
    ]);
    // App rules need an authenticated App: only the APP Api gets them.
    expect(policyOf(result, 'open RELEASE', 'appAcl')).toBeUndefined();
    expect(routes(result).get('signed RELEASE')?.policies?.appAcl).toEqual({
      source: { kind: 'AclPolicy', namespace: 'team', name: 'partners' }, action: 'DENY', appIds: ['team/partner', 'team/gone'],
    });
    expect(result.statuses.get('AclPolicy/team/partners')?.resolvedRefs).toMatchObject({ reason: 'AppNotFound' });
    expect(result.statuses.get('AclPolicy/team/office')?.inIR).toBe(true);
  });

  it('does not let two IP policies at the same level both apply', () => {
    const result = translate([
      group, api('a'),
      acl('first', { targetRefs: [{ kind: 'Api', name: 'a' }], action: 'DENY', type: 'IP', ips: ['10.0.0.1'] }),
      acl('second', { targetRefs: [{ kind: 'Api', name: 'a' }], action: 'DENY', type: 'IP', ips: ['10.0.0.2'] }, '2026-02-01T00:00:00Z'),
    ]);
    expect(policyOf(result, 'a RELEASE', 'ipAcl')).toBe('first');
    expect(result.statuses.get('AclPolicy/team/second')?.accepted).toMatchObject({ status: 'False', reason: 'Conflicted' });
  });
});
