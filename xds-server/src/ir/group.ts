import type { RouteIR } from './route';
import type { SecretValue } from './secret';
import type { SourceRef } from './source';

export type TlsVersion = 'TLSv1.2' | 'TLSv1.3';

/** A certificate served to callers, from a kubernetes.io/tls Secret. */
export interface DownstreamTlsIR {
  /** The Secret; names the SDS secret, so domains sharing a Secret share one. */
  readonly source: SourceRef;
  /** PEM chain (not secret). */
  readonly certificateChain: string;
  /** PEM key; prints as `[redacted]`. */
  readonly privateKey: SecretValue;
}

/** A domain bound to a group (Huawei allows 5). */
export interface BoundDomainIR {
  /** Lowercase FQDN, unique across the gateway. */
  readonly hostname: string;
  /** Without it the domain is served over HTTP only. */
  readonly tls?: DownstreamTlsIR;
  /** Lowest TLS version accepted on this domain. */
  readonly minTlsVersion: TlsVersion;
  /** Plain HTTP calls get 301 to HTTPS (needs tls to be useful). */
  readonly httpsRedirect: boolean;
}

/**
 * An ApiGroup: one RouteConfiguration per listener side, holding the routes of its published Apis.
 * translateIR memoises a group's Envoy resources by this object's identity (translate/group-memo.ts):
 * passing the same object for an unchanged group makes a pass cheap and keeps its resources
 * identical; a new object for an unchanged group is correct, only slower. Never mutate one.
 */
export interface ApiGroupIR {
  readonly source: SourceRef;
  /** `<name>.<namespace>.<baseDomain>`; absent when the default subdomain is disabled. */
  readonly subdomain?: string;
  readonly domains: readonly BoundDomainIR[];
  /** One per (Api, environment) published; any order, the translator orders them. */
  readonly routes: readonly RouteIR[];
}
