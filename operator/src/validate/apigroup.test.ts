import { errorsOf, specOf } from './testing';

const domain = (hostname: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ domains: [{ hostname, ...extra }] });

describe('ApiGroup rules', () => {
  it('names: a DNS label, checked on metadata.name after the generic subdomain check', () => {
    expect(errorsOf('ApiGroup', {}, 'demo.group')).toEqual([
      "metadata.name: an ApiGroup name must be a DNS label (at most 63 lowercase letters, digits and '-', starting with a letter) because it becomes the first label of the default subdomain",
    ]);
    expect(errorsOf('ApiGroup', {}, '1demo')).toHaveLength(1);
    expect(errorsOf('ApiGroup', {}, 'a'.repeat(63))).toEqual([]);
    expect(errorsOf('ApiGroup', {}, 'a'.repeat(64))).toHaveLength(1);
    // An invalid object name gets the API server's generic message as well.
    expect(errorsOf('ApiGroup', {}, 'Demo')).toEqual([
      expect.stringContaining('metadata.name: Invalid value: "Demo": a lowercase RFC 1123 subdomain'),
      expect.stringContaining('an ApiGroup name must be a DNS label'),
    ]);
  });

  it('hostnames: a wildcard gets only the wildcard message (the RFC rule lets it through)', () => {
    expect(errorsOf('ApiGroup', domain('*.Example.com'))).toEqual([
      'spec.domains[0].hostname: hostname: wildcard domains are not allowed; bind each hostname explicitly',
    ]);
  });

  it('hostnames: an IPv4 address passes the RFC rule but not the IP rule; an IPv6 one fails both', () => {
    expect(errorsOf('ApiGroup', domain('10.0.0.1'))).toEqual(['spec.domains[0].hostname: hostname must be a DNS name, not an IP address']);
    expect(errorsOf('ApiGroup', domain('::1'))).toEqual([
      "spec.domains[0].hostname: hostname must be a lowercase RFC 1123 DNS name such as api.example.com (letters, digits, '-' and '.')",
      'spec.domains[0].hostname: hostname must be a DNS name, not an IP address',
    ]);
    expect(errorsOf('ApiGroup', domain('10.0.0.256'))).toEqual([]);
  });

  it('hostnames: labels of at most 63 characters', () => {
    expect(errorsOf('ApiGroup', domain(`${'a'.repeat(63)}.example.com`))).toEqual([]);
    expect(errorsOf('ApiGroup', domain(`${'a'.repeat(64)}.example.com`))).toEqual([
      'spec.domains[0].hostname: hostname: each dot-separated label must be at most 63 characters',
    ]);
  });

  it('httpsRedirect needs tls; the default (false) does not', () => {
    expect(errorsOf('ApiGroup', domain('a.example.com', { httpsRedirect: true }))).toEqual([
      'spec.domains[0].httpsRedirect: domains: httpsRedirect requires tls (set tls.secretName or set httpsRedirect to false)',
    ]);
    expect(errorsOf('ApiGroup', domain('a.example.com', { httpsRedirect: true, tls: { secretName: 'a.cert' } }))).toEqual([]);
    expect(specOf('ApiGroup', domain('a.example.com'))).toEqual({
      domains: [{ hostname: 'a.example.com', httpsRedirect: false, minTlsVersion: 'TLSv1.2' }],
      defaultSubdomain: { enabled: true },
    });
  });

  it('variables: name rules on the map, value rule on each entry', () => {
    const spec = { environments: [{ name: 'DEV', variables: { ab: 'x y', '1bad': 'v', 'ok_name-1': 'host:80/p.q' } }] };
    expect(errorsOf('ApiGroup', spec)).toEqual([
      'spec.environments[0].variables: variable names must be 3-32 characters long',
      "spec.environments[0].variables: variable names must start with a letter and contain only letters, digits, '-' and '_'",
      'spec.environments[0].variables[ab]: variable values may contain only letters, digits and _ - / . : (1-255 characters)',
    ]);
  });

  it('variables: lengths count characters, as CEL size() does', () => {
    const spec = { environments: [{ name: 'DEV', variables: { 'a😀': 'v' } }] };
    expect(errorsOf('ApiGroup', spec)).toEqual([
      'spec.environments[0].variables: variable names must be 3-32 characters long',
      "spec.environments[0].variables: variable names must start with a letter and contain only letters, digits, '-' and '_'",
    ]);
  });

  it('environments are unique by name', () => {
    expect(errorsOf('ApiGroup', { environments: [{ name: 'DEV' }, { name: 'DEV', variables: { abc: 'x' } }] })).toEqual([
      'spec.environments[1]: Duplicate value: {"name":"DEV"}',
    ]);
  });
});
