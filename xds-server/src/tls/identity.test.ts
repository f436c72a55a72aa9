import { fleetsOf, fleetUri, subjectAltNames } from './identity';

describe('fleet identity in client certificates', () => {
  it('writes a fleet as a spiffe URI and reads it back, also with characters that need escaping', () => {
    expect(fleetUri('turnpike')).toBe('spiffe://turnpike/fleet/turnpike');
    expect(fleetUri('turnpike:ratelimit')).toBe('spiffe://turnpike/fleet/turnpike%3Aratelimit');
    for (const fleet of ['turnpike', 'turnpike:ratelimit', 'a b,c"d']) {
      expect(fleetsOf(`URI:${fleetUri(fleet)}`)).toEqual([fleet]);
    }
  });

  it('parses Node\'s subjectAltName text, quoted values included', () => {
    expect(subjectAltNames('DNS:localhost, IP Address:127.0.0.1, URI:"spiffe://x/a,b"')).toEqual([
      { type: 'DNS', value: 'localhost' }, { type: 'IP Address', value: '127.0.0.1' }, { type: 'URI', value: 'spiffe://x/a,b' },
    ]);
  });

  it('names no fleet for other URIs, DNS names that look like one, an empty fleet or a bad escape', () => {
    expect(fleetsOf(undefined)).toEqual([]);
    expect(fleetsOf('DNS:spiffe://turnpike/fleet/turnpike')).toEqual([]);
    expect(fleetsOf('URI:spiffe://other/fleet/turnpike, URI:spiffe://turnpike/fleet/')).toEqual([]);
    expect(fleetsOf('URI:spiffe://turnpike/fleet/%E0%A4%A')).toEqual([]);
    expect(fleetsOf('URI:spiffe://turnpike/fleet/a, URI:spiffe://turnpike/fleet/b')).toEqual(['a', 'b']);
  });

});
