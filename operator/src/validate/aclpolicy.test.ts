import { errorsOf } from './testing';

const acl = (extra: Record<string, unknown>): Record<string, unknown> => ({
  targetRefs: [{ kind: 'Api', name: 'hello' }], action: 'DENY', type: 'IP', ...extra,
});

describe('AclPolicy rules', () => {
  it('ips exactly when type is IP, apps exactly when type is APP', () => {
    expect(errorsOf('AclPolicy', acl({}))).toEqual(['spec.ips: ips is required when type is IP']);
    expect(errorsOf('AclPolicy', acl({ ips: ['10.0.0.1'], apps: ['a'] }))).toEqual(['spec.apps: apps is only allowed when type is APP']);
    expect(errorsOf('AclPolicy', acl({ type: 'APP', ips: ['10.0.0.1'] }))).toEqual([
      'spec.ips: ips is only allowed when type is IP',
      'spec.apps: apps is required when type is APP',
    ]);
    // `ips:` with no value is null, which the API server drops: as if absent.
    expect(errorsOf('AclPolicy', acl({ type: 'APP', ips: null, apps: ['a'] }))).toEqual([]);
  });

  it('each entry: address, CIDR without host bits, or a same-family range, as the API server reads them', () => {
    const entry = 'ips: each entry must be an IP address (10.0.0.1), a CIDR (10.0.0.0/24) or a range of two addresses (10.0.0.1-10.0.0.9)';
    expect(errorsOf('AclPolicy', acl({ ips: ['10.0.0.1', '2001:db8::/32', '10.0.0.1-10.0.0.9', '::1-::2'] }))).toEqual([]);
    expect(errorsOf('AclPolicy', acl({ ips: ['fe80::1%eth0', '::ffff:10.0.0.1', 'example.com'] }))).toEqual([
      `spec.ips[0]: ${entry}`,
      `spec.ips[1]: ${entry}`,
      `spec.ips[2]: ${entry}`,
    ]);
    expect(errorsOf('AclPolicy', acl({ ips: ['10.0.0.5/24', '10.0.0.1-::1'] }))).toEqual([
      'spec.ips[1]: ips: both ends of a range must be addresses of the same family (IPv4-IPv4 or IPv6-IPv6)',
      'spec.ips[0]: ips: a CIDR must not have host bits set (write 10.0.0.0/24, not 10.0.0.5/24)',
    ]);
  });

  it('operator: a range a-b needs a <= b (the API server accepts a > b)', () => {
    expect(errorsOf('AclPolicy', acl({ ips: ['10.0.0.9-10.0.0.1', '2001:db8::ff-2001:db8::1'] }))).toEqual([
      'spec.ips[0]: ips: a range must not start above its end (write 10.0.0.1-10.0.0.9)',
      'spec.ips[1]: ips: a range must not start above its end (write 2001:db8::1-2001:db8::ff)',
    ]);
    expect(errorsOf('AclPolicy', acl({ ips: ['10.0.0.1-10.0.0.1', '10.0.0.9-10.0.0.10'] }))).toEqual([]);
  });

  it('app names, target names, environments, uniqueness', () => {
    expect(errorsOf('AclPolicy', acl({ type: 'APP', apps: ['Bad', 'ok.app', 'ok.app'], environments: ['RELEASE', '1XY'] }))).toEqual([
      'spec.apps[2]: Duplicate value: "ok.app"',
      "spec.environments[1]: environment name must start with a letter and contain only letters, digits and '_' (3-64 characters)",
      'spec.apps[0]: apps: each entry must be an App name (lowercase RFC 1123 subdomain)',
    ]);
  });
});
