import { errorsOf, specOf } from './testing';

describe('App rules', () => {
  it('needs no spec: the CRD defaults it to {}', () => {
    expect(specOf('App', undefined)).toEqual({});
    expect(specOf('App', null)).toEqual({});
  });

  it('grants: unique by kind and name; environments default to RELEASE and are never empty', () => {
    expect(specOf('App', { grants: [{ kind: 'Api', name: 'a' }, { kind: 'ApiGroup', name: 'a' }] })).toEqual({
      grants: [{ kind: 'Api', name: 'a', environments: ['RELEASE'] }, { kind: 'ApiGroup', name: 'a', environments: ['RELEASE'] }],
    });
    expect(errorsOf('App', { grants: [{ kind: 'Api', name: 'a', environments: [] }, { kind: 'Api', name: 'a' }] })).toEqual([
      'spec.grants[0].environments: Invalid value: 0: spec.grants[0].environments in body should have at least 1 items',
      'spec.grants[1]: Duplicate value: {"kind":"Api","name":"a"}',
    ]);
  });

  it('names and environments of grants', () => {
    expect(errorsOf('App', { grants: [{ kind: 'Api', name: 'Orders', environments: ['RELEASE', 'RELEASE', 'x', 'D-V'] }] })).toEqual([
      'spec.grants[0].environments[2]: Invalid value: "x": spec.grants[0].environments[2] in body should be at least 3 chars long',
      'spec.grants[0].environments[1]: Duplicate value: "RELEASE"',
      'spec.grants[0].name: grants: name must be an object name (lowercase RFC 1123 subdomain)',
      "spec.grants[0].environments[3]: environment name must start with a letter and contain only letters, digits and '_' (3-64 characters)",
    ]);
  });

  it('quota.interval must be 1 (the default)', () => {
    expect(specOf('App', { quota: { limit: 10, unit: 'DAY' } })).toEqual({ quota: { limit: 10, unit: 'DAY', interval: 1 } });
    expect(errorsOf('App', { quota: { limit: 10, unit: 'DAY', interval: 7 } })).toEqual([
      'spec.quota.interval: quota.interval must be 1: the rate-limit service (envoyproxy/ratelimit) only counts windows of one unit; pick a larger unit instead',
    ]);
  });

  it('credentials stay in a Secret', () => {
    expect(errorsOf('App', { appSecret: 'x' })).toEqual(['unknown field "spec.appSecret"']);
    expect(errorsOf('App', { credentialsSecretRef: { name: 'My_Secret' } })).toEqual([
      'spec.credentialsSecretRef.name: credentialsSecretRef.name must be a Secret name (lowercase RFC 1123 subdomain)',
    ]);
  });
});
