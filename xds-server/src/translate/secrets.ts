// SDS Secrets: one tls_certificate per kubernetes.io/tls Secret, shared by the domains using it.
import type { DownstreamTlsIR } from '../ir';
import { byString, type JsonObject } from './json';

/** `tls/<namespace>/<secret>`: the SDS name listeners reference. */
export function secretName(tls: DownstreamTlsIR): string {
  return `tls/${tls.source.namespace}/${tls.source.name}`;
}

function buildSecret(tls: DownstreamTlsIR): JsonObject {
  return {
    name: secretName(tls),
    tls_certificate: {
      certificate_chain: { inline_string: tls.certificateChain },
      private_key: { inline_string: tls.privateKey.reveal() },
    },
  };
}

/** One Secret per name, sorted; the first occurrence of a name wins (same Secret, same content). */
export function buildSecrets(certificates: readonly DownstreamTlsIR[]): JsonObject[] {
  const byName = new Map<string, DownstreamTlsIR>();
  for (const tls of certificates) if (!byName.has(secretName(tls))) byName.set(secretName(tls), tls);
  return [...byName.keys()].sort(byString).flatMap((name) => {
    const tls = byName.get(name);
    return tls === undefined ? [] : [buildSecret(tls)];
  });
}
