import { errorsOf, specOf } from './testing';

const policy = (extra: Record<string, unknown>): Record<string, unknown> => ({
  targetRefs: [{ kind: 'ApiGroup', name: 'demo' }], limits: { api: 100 }, ...extra,
});

describe('ThrottlePolicy rules', () => {
  it('app, ip and special-app limits at most the api limit (equal is fine)', () => {
    expect(errorsOf('ThrottlePolicy', policy({ limits: { api: 100, app: 100, ip: 100 }, specialApps: [{ name: 'vip', limit: 100 }] }))).toEqual([]);
    expect(errorsOf('ThrottlePolicy', policy({ limits: { api: 100, app: 101, ip: 101 }, specialApps: [{ name: 'vip', limit: 101 }] }))).toEqual([
      'spec.specialApps: specialApps: each limit must not exceed limits.api',
      'spec.limits.app: limits.app must not exceed limits.api',
      'spec.limits.ip: limits.ip must not exceed limits.api',
    ]);
  });

  it('a missing api limit is reported once, by the schema, and the rules wait', () => {
    expect(errorsOf('ThrottlePolicy', policy({ limits: { app: 5 } }))).toEqual([
      'spec.limits.api: Required value',
      'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });

  it('window.interval must be 1; the window defaults to one minute', () => {
    expect(errorsOf('ThrottlePolicy', policy({ window: { unit: 'HOUR', interval: 2 } }))).toEqual([
      'spec.window.interval: window.interval must be 1: the rate-limit service (envoyproxy/ratelimit) only counts windows of one unit; pick a larger unit instead',
    ]);
    expect(specOf('ThrottlePolicy', policy({}))).toEqual({
      targetRefs: [{ group: 'turnpike.dev', kind: 'ApiGroup', name: 'demo' }],
      limits: { api: 100 },
      environments: ['RELEASE'],
      window: { unit: 'MINUTE', interval: 1 },
      counting: 'PerApi',
      failureMode: 'FailOpen',
    });
  });

  it('targets are unique after the group is defaulted; names are object names', () => {
    expect(errorsOf('ThrottlePolicy', policy({ targetRefs: [{ kind: 'Api', name: 'a' }, { group: 'turnpike.dev', kind: 'Api', name: 'a' }, { kind: 'Api', name: 'A' }] }))).toEqual([
      'spec.targetRefs[1]: Duplicate value: {"group":"turnpike.dev","kind":"Api","name":"a"}',
      'spec.targetRefs[2].name: targetRefs: name must be an object name (lowercase RFC 1123 subdomain)',
    ]);
  });

  it('special apps are unique by name', () => {
    expect(errorsOf('ThrottlePolicy', policy({ specialApps: [{ name: 'vip', limit: 1 }, { name: 'vip', limit: 2 }, { name: 'V', limit: 1 }] }))).toEqual([
      'spec.specialApps[1]: Duplicate value: {"name":"vip"}',
      'spec.specialApps[2].name: specialApps: name must be an App name (lowercase RFC 1123 subdomain)',
    ]);
  });
});
