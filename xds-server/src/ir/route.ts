import type { BackendPath, PathTemplate } from './path';
import type { RoutePoliciesIR } from './policy';
import type { SourceRef } from './source';

/** Methods an Api can name (Huawei `req_method`); `ANY` matches every method. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH' | 'OPTIONS';
export type MethodMatch = HttpMethod | 'ANY';

/** Exact (Huawei NORMAL) or Prefix (Huawei SWA: `/a` matches `/a` and `/a/…`, not `/ab`). */
export type MatchMode = 'Exact' | 'Prefix';

/** Which listener(s) serve the route; a call on the other one gets 400 APIG.0607. */
export type Protocol = 'HTTP' | 'HTTPS' | 'BOTH';

/** The environment callers get without an `X-Stage` header. */
export const RELEASE = 'RELEASE';

/** How callers authenticate. APP: AppKey/AppSecret signature, or also AppCode when `appCode`. */
export type AuthIR = { readonly type: 'NONE' } | { readonly type: 'APP'; readonly appCode: boolean };

export interface HeaderIR {
  readonly name: string;
  readonly value: string;
}

/** Forward to a cluster of `GatewayIR.clusters`. */
export interface ForwardBackendIR {
  readonly kind: 'Forward';
  /** `ClusterIR.name`; see `serviceClusterName` / `urlClusterName`. */
  readonly cluster: string;
  /** Backend path; for Prefix routes the unmatched remainder is appended to it. */
  readonly path: BackendPath;
  /**
   * Host header sent upstream. Absent: URL clusters send their own host[:port], Service clusters
   * keep the caller's Host (Huawei VPC channel without `host_header`).
   */
  readonly hostRewrite?: string;
  /** 1–600,000 ms (Huawei `timeout`); on expiry callers get 504 APIG.0201. */
  readonly timeoutMs: number;
  /** -1..10 (Huawei `retry_count`): -1 retries idempotent methods once, 0 never. */
  readonly retries: number;
  /** Backend requests are signed with this SignatureKey (by the authn filter, in Envoy). */
  readonly signatureKey?: SourceRef;
}

/** A fixed response from the gateway itself (Huawei MOCK backend). */
export interface MockBackendIR {
  readonly kind: 'Mock';
  /** 200–599 (Envoy's direct_response range). */
  readonly status: number;
  readonly body: string;
  readonly headers: readonly HeaderIR[];
}

export type BackendIR = ForwardBackendIR | MockBackendIR;

/** One Api published in one environment. */
export interface RouteIR {
  /** The Api. */
  readonly source: SourceRef;
  /** Selected by `X-Stage: <environment>`; `RELEASE` also when the header is absent. */
  readonly environment: string;
  readonly method: MethodMatch;
  readonly path: PathTemplate;
  readonly match: MatchMode;
  readonly protocol: Protocol;
  readonly auth: AuthIR;
  /** Huawei `cors` flag: `Access-Control-Allow-Origin: *` unless the backend sets it. */
  readonly cors: boolean;
  readonly backend: BackendIR;
  /** ThrottlePolicy and AclPolicies that apply to this Api in this environment (policy.ts). */
  readonly policies?: RoutePoliciesIR;
}
