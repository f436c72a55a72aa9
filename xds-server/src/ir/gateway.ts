import type { AuthzIR } from './authz';
import type { ClusterIR } from './cluster';
import type { ApiGroupIR, DownstreamTlsIR } from './group';
import type { RateLimitIR } from './policy';
import type { SourceRef } from './source';

export interface HttpListenerIR {
  /** Bind address, e.g. `0.0.0.0` or `::`. */
  readonly address: string;
  readonly port: number;
}

export interface HttpsListenerIR {
  readonly address: string;
  readonly port: number;
  /** The port callers reach HTTPS on (HTTP→HTTPS redirects point there), usually 443. */
  readonly publicPort: number;
  /** Served when SNI names no bound domain with its own certificate (e.g. a *.baseDomain cert). */
  readonly defaultTls?: DownstreamTlsIR;
}

/**
 * The contract between operator and xds-server: everything one Envoy fleet serves. Readonly data;
 * arrays may come in any order (the translator sorts), names must be unique where documented.
 */
export interface GatewayIR {
  /** The control-plane configuration that defined the listeners. */
  readonly source: SourceRef;
  readonly http?: HttpListenerIR;
  readonly https?: HttpsListenerIR;
  /** Proxies in front of Envoy whose X-Forwarded-For entries are trusted (client IP for ACLs). */
  readonly trustedProxyHops: number;
  readonly groups: readonly ApiGroupIR[];
  /** Every cluster a route forwards to; names unique. */
  readonly clusters: readonly ClusterIR[];
  /** Throttling, App quotas and the subdomain cap (envoyproxy/ratelimit); absent: no rate limits. */
  readonly rateLimit?: RateLimitIR;
  /** App authentication and backend signing (the authn filter); absent: APP Apis answer 401. */
  readonly authz?: AuthzIR;
  /** One JSON line per call (access-log.ts); absent: no access log. */
  readonly accessLog?: AccessLogIR;
}

/** Where Envoy writes its access log: `/dev/stdout`, `/dev/stderr` or a file on Envoy's file system. */
export interface AccessLogIR {
  readonly path: string;
}
