/**
 * The Secrets of the operator's xDS CA, all in the operator's namespace and named after one prefix
 * (`--xds-tls-secrets`; the chart: `<release>-xds-tls`). The client Secrets have the layout of a
 * cert-manager Certificate's (tls.crt, tls.key, ca.crt), so Envoy and ratelimit mount them the same
 * way whichever issues them.
 */
import { rateLimitFleet } from '@turnpike/xds-server';

export interface ClientSecret {
  readonly client: 'envoy' | 'ratelimit';
  readonly name: string;
  readonly fleet: string;
}

export interface XdsTlsSecretNames {
  /** kubernetes.io/tls: the CA's certificate and key. */
  readonly ca: string;
  /** The client certificates: Envoy's (the gateway fleet) and ratelimit's (its rate-limit fleet). */
  readonly clients: readonly ClientSecret[];
}

export function xdsTlsSecretNames(prefix: string, fleet: string): XdsTlsSecretNames {
  return {
    ca: `${prefix}-ca`,
    clients: [
      { client: 'envoy', name: `${prefix}-envoy`, fleet },
      { client: 'ratelimit', name: `${prefix}-ratelimit`, fleet: rateLimitFleet(fleet) },
    ],
  };
}
