/**
 * When the operator's xDS certificates are issued again: pure decisions from what a certificate
 * says (its validity, the fleets it names, the CA it chains to) and the time. Certificates are
 * renewed once two thirds of their validity have passed, so a client that misses a renewal still
 * has a third of the validity to pick up the next one.
 */
import { X509Certificate } from 'node:crypto';
import { fleetsOf } from '@turnpike/xds-server';

const RENEW_AT_FRACTION = 2 / 3;

export interface CertificateFacts {
  readonly serial: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly fleets: readonly string[];
  /** The certificate was signed by this CA (PEM). */
  issuedBy(caPem: string): boolean;
}

/** What a PEM certificate says; undefined when it cannot be read. */
export function certificateFacts(pem: string | undefined): CertificateFacts | undefined {
  if (pem === undefined || pem === '') return undefined;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return undefined;
  }
  return {
    serial: cert.serialNumber.toLowerCase(),
    notBefore: Date.parse(cert.validFrom),
    notAfter: Date.parse(cert.validTo),
    fleets: fleetsOf(cert.subjectAltName),
    issuedBy: (caPem) => {
      try {
        const ca = new X509Certificate(caPem);
        return cert.checkIssued(ca) && cert.verify(ca.publicKey);
      } catch {
        return false;
      }
    },
  };
}

/** The moment a certificate valid from notBefore to notAfter is due for renewal. */
export function renewalTime(facts: Pick<CertificateFacts, 'notBefore' | 'notAfter'>): number {
  return facts.notBefore + (facts.notAfter - facts.notBefore) * RENEW_AT_FRACTION;
}

/** Why a client certificate for `fleet` must be issued (again), or undefined to keep it. */
export function clientCertificateIssue(
  current: { readonly cert: CertificateFacts | undefined; readonly ca: string | undefined },
  want: { readonly fleet: string; readonly caPem: string },
  now: number,
): string | undefined {
  const { cert } = current;
  if (cert === undefined) return 'missing or unreadable';
  if (!cert.fleets.includes(want.fleet)) return `names ${cert.fleets.join(', ') || 'no fleet'}, not ${want.fleet}`;
  if (!cert.issuedBy(want.caPem) || current.ca !== want.caPem) return 'issued by another CA';
  if (now >= renewalTime(cert)) return 'due for renewal';
  return undefined;
}

/** Whether the server's own certificate must be issued again. */
export function serverCertificateDue(cert: CertificateFacts | undefined, caPem: string, now: number): boolean {
  return cert === undefined || !cert.issuedBy(caPem) || now >= renewalTime(cert);
}

/** When to look again: the earliest renewal among `certs`, at least `minMs` and at most `maxMs` from now. */
export function nextCheckDelay(certs: readonly (CertificateFacts | undefined)[], now: number, bounds: { readonly minMs: number; readonly maxMs: number }): number {
  const due = certs.flatMap((c) => (c === undefined ? [] : [renewalTime(c) - now]));
  return Math.min(bounds.maxMs, Math.max(bounds.minMs, ...(due.length === 0 ? [bounds.maxMs] : [Math.min(...due)])));
}
