/**
 * Who an xDS client is, with mutual TLS: its certificate names the fleet it may receive as a URI
 * subject alternative name `spiffe://turnpike/fleet/<fleet>` (the fleet percent-encoded). This file
 * is the one place that format is written and read; the operator's CA, the chart's cert-manager
 * Certificates and the ADS server's check all use it.
 */
const FLEET_URI_PREFIX = 'spiffe://turnpike/fleet/';

/** The URI SAN a client certificate for `fleet` carries. */
export function fleetUri(fleet: string): string {
  return `${FLEET_URI_PREFIX}${encodeURIComponent(fleet)}`;
}

/**
 * The entries of a certificate's subjectAltName as Node prints it (`URI:a, DNS:b`; Node quotes a
 * value holding a comma or a quote as a JSON string).
 */
export function subjectAltNames(text: string): { readonly type: string; readonly value: string }[] {
  const out: { type: string; value: string }[] = [];
  const entry = /\s*([A-Za-z ]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:,|$)/y;
  for (let match = entry.exec(text); match !== null && match[0] !== ''; match = entry.exec(text)) {
    const [, type = '', raw = ''] = match;
    let value = raw;
    if (raw.startsWith('"')) {
      try {
        value = JSON.parse(raw) as string;
      } catch {
        continue;
      }
    }
    out.push({ type: type.trim(), value });
  }
  return out;
}

/** The fleets a certificate's subjectAltName names (usually one). */
export function fleetsOf(subjectAltName: string | undefined): string[] {
  const fleets: string[] = [];
  for (const { type, value } of subjectAltNames(subjectAltName ?? '')) {
    if (type !== 'URI' || !value.startsWith(FLEET_URI_PREFIX)) continue;
    try {
      const fleet = decodeURIComponent(value.slice(FLEET_URI_PREFIX.length));
      if (fleet !== '') fleets.push(fleet);
    } catch {
      // A malformed escape names no fleet.
    }
  }
  return fleets;
}
