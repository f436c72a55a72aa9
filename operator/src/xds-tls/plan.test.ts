import { fleetUri } from '@turnpike/xds-server';
import { createCa, issueLeaf } from '../pki';
import { certificateFacts, clientCertificateIssue, nextCheckDelay, renewalTime, serverCertificateDue } from './plan';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;
const validity = { notBefore: new Date(T0), notAfter: new Date(T0 + 3 * HOUR) };

describe('xDS certificate plan', () => {
  const ca = createCa('plan CA', { notBefore: new Date(T0 - HOUR), notAfter: new Date(T0 + 1000 * HOUR) });
  const otherCa = createCa('other CA', { notBefore: new Date(T0 - HOUR), notAfter: new Date(T0 + 1000 * HOUR) });
  const leaf = issueLeaf(ca, { commonName: 'envoy', usage: 'client', validity, uris: [fleetUri('turnpike')] });
  const facts = certificateFacts(leaf.cert);

  it('reads validity, fleets and issuer from a PEM certificate; nothing from garbage', () => {
    expect(facts).toMatchObject({ notBefore: T0, notAfter: T0 + 3 * HOUR, fleets: ['turnpike'] });
    expect(facts?.issuedBy(ca.cert)).toBe(true);
    expect(facts?.issuedBy(otherCa.cert)).toBe(false);
    expect(facts?.issuedBy('not a certificate')).toBe(false);
    expect(certificateFacts(undefined)).toBeUndefined();
    expect(certificateFacts('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toBeUndefined();
  });

  it('renews after two thirds of the validity', () => {
    expect(renewalTime({ notBefore: T0, notAfter: T0 + 3 * HOUR })).toBe(T0 + 2 * HOUR);
    const want = { fleet: 'turnpike', caPem: ca.cert };
    expect(clientCertificateIssue({ cert: facts, ca: ca.cert }, want, T0 + 2 * HOUR - 1)).toBeUndefined();
    expect(clientCertificateIssue({ cert: facts, ca: ca.cert }, want, T0 + 2 * HOUR)).toBe('due for renewal');
    expect(serverCertificateDue(facts, ca.cert, T0 + HOUR)).toBe(false);
    expect(serverCertificateDue(facts, ca.cert, T0 + 2 * HOUR)).toBe(true);
  });

  it('issues again a client certificate that is missing, names another fleet or chains to another CA', () => {
    const want = { fleet: 'turnpike', caPem: ca.cert };
    expect(clientCertificateIssue({ cert: undefined, ca: undefined }, want, T0)).toBe('missing or unreadable');
    expect(clientCertificateIssue({ cert: facts, ca: ca.cert }, { ...want, fleet: 'turnpike:ratelimit' }, T0)).toBe('names turnpike, not turnpike:ratelimit');
    expect(clientCertificateIssue({ cert: facts, ca: ca.cert }, { ...want, caPem: otherCa.cert }, T0)).toBe('issued by another CA');
    // The CA bundle handed to the client must be the current one too.
    expect(clientCertificateIssue({ cert: facts, ca: otherCa.cert }, want, T0)).toBe('issued by another CA');
    expect(serverCertificateDue(undefined, ca.cert, T0)).toBe(true);
    expect(serverCertificateDue(facts, otherCa.cert, T0)).toBe(true);
  });

  it('looks again at the earliest renewal, within bounds', () => {
    const bounds = { minMs: 1_000, maxMs: 60_000 };
    expect(nextCheckDelay([facts], T0 + 2 * HOUR - 30_000, bounds)).toBe(30_000);
    expect(nextCheckDelay([facts], T0, bounds)).toBe(60_000);
    expect(nextCheckDelay([facts], T0 + 5 * HOUR, bounds)).toBe(1_000);
    expect(nextCheckDelay([undefined], T0, bounds)).toBe(60_000);
  });
});
