/**
 * The certificate of the default subdomains (`--subdomain-tls-secret`, Huawei's debugging domain
 * serves HTTPS): a kubernetes.io/tls Secret, read like a bound domain's. It is served on the HTTPS
 * listener's default filter chain, so every subdomain whose name it covers (`*.<namespace>.<base
 * domain>`) answers over HTTPS, AppCode included. Absent, incomplete or not PEM: none, and the
 * subdomains stay HTTP only (docs/reference/apigroup.md).
 */
import { SecretValue, type DownstreamTlsIR } from '@turnpike/xds-server';
import type { GatewayConfig } from '../config';
import type { ResourceSet } from '../resources/resourceset';
import { secretValue } from './objects';

export function subdomainTls(config: GatewayConfig, set: ResourceSet): DownstreamTlsIR | undefined {
  const ref = config.subdomainTls;
  if (ref === undefined) return undefined;
  const cert = secretValue(set, ref.namespace, ref.name, 'tls.crt');
  const key = secretValue(set, ref.namespace, ref.name, 'tls.key');
  if (cert === undefined || key === undefined || !cert.includes('-----BEGIN CERTIFICATE-----') || !key.includes('-----BEGIN')) return undefined;
  return { source: { kind: 'Secret', namespace: ref.namespace, name: ref.name }, certificateChain: cert, privateKey: new SecretValue(key) };
}
