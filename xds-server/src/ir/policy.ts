/**
 * Throttling and access control (docs/huawei-compatibility.md §3, §7, §8): what the operator resolved for each route
 * (the ThrottlePolicy and AclPolicies that apply to one Api in one environment) and what the
 * gateway as a whole needs (the rate-limit service, App quotas, the default subdomain's daily cap).
 * Exact limits are enforced by envoyproxy/ratelimit (fleet-wide counters in Redis), Fast limits by
 * each Envoy's own token buckets (a share of the limit per Envoy); IP rules by Envoy's RBAC filter
 * before authentication, App rules by RBAC on the authenticated App after it.
 */
import type { SourceRef } from './source';

/** A fixed calendar window of one unit (envoyproxy/ratelimit counts nothing else). */
export type RateLimitUnit = 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY';

/**
 * The value the authn filter puts in `x-turnpike-app-id` for an authenticated App, and so the value rate-limit
 * descriptors and App ACLs match on: `<namespace>/<name>` of the App.
 */
export function appId(app: Pick<SourceRef, 'namespace' | 'name'>): string {
  return `${app.namespace}/${app.name}`;
}

/** The request header carrying the authenticated App's id (set only by the authn filter; see appId). */
export const APP_ID_HEADER = 'x-turnpike-app-id';

/**
 * Where a ThrottlePolicy counts: `Exact` in the rate-limit service (exact across the fleet, every
 * window unit), `Fast` in each Envoy (no call leaves Envoy; SECOND and MINUTE windows only).
 */
export type ThrottlePrecision = 'Fast' | 'Exact';

/** A per-App threshold replacing `ThrottleIR.app` (Huawei "excluded apps"). */
export interface SpecialAppLimitIR {
  /** appId() of the App. */
  readonly appId: string;
  readonly limit: number;
}

/** One ThrottlePolicy as it applies to one route. */
export interface ThrottleIR {
  /** The ThrottlePolicy. */
  readonly source: SourceRef;
  readonly unit: RateLimitUnit;
  readonly precision: ThrottlePrecision;
  /** Calls per window for the counter scope (the Api, or every target when Shared). */
  readonly api: number;
  /** Calls per window per authenticated App; absent: no per-App limit (special apps still apply). */
  readonly app?: number;
  /** Calls per window per client IP. */
  readonly ip?: number;
  readonly specialApps: readonly SpecialAppLimitIR[];
  /**
   * What the counters are keyed by besides the policy and environment: the Api's name (PerApi,
   * each Api counts alone) or `*` (Shared: every target of the policy shares the counters).
   */
  readonly scope: string;
  /** Reject (500) instead of letting calls through when the rate-limit service is unreachable (Exact only). */
  readonly failClosed: boolean;
}

/** An IPv4 or IPv6 network: the address with host bits clear and the prefix length. */
export interface CidrIR {
  readonly address: string;
  readonly prefixLength: number;
}

export type AclAction = 'ALLOW' | 'DENY';

/** An AclPolicy of type IP as it applies to one route (ranges already turned into CIDRs). */
export interface IpAclIR {
  readonly source: SourceRef;
  readonly action: AclAction;
  /** Never empty. */
  readonly cidrs: readonly CidrIR[];
}

/** An AclPolicy of type APP as it applies to one route (an APP-authenticated Api). */
export interface AppAclIR {
  readonly source: SourceRef;
  readonly action: AclAction;
  /** appId() of each listed App; never empty. */
  readonly appIds: readonly string[];
}

/** The policies of one route; each absent when none applies. */
export interface RoutePoliciesIR {
  readonly throttle?: ThrottleIR;
  readonly ipAcl?: IpAclIR;
  readonly appAcl?: AppAclIR;
}

/** An App's quota (Huawei client quota): its calls across every Api and environment per window. */
export interface AppQuotaIR {
  /** The App. */
  readonly source: SourceRef;
  readonly limit: number;
  readonly unit: RateLimitUnit;
}

/** Where Envoy's rate-limit filters reach envoyproxy/ratelimit (gRPC). */
export interface RateLimitServiceIR {
  /** DNS name or IP address (loopback in standalone mode, a Service name in a cluster). */
  readonly host: string;
  readonly port: number;
}

/**
 * The gateway's default limit on every Api (Huawei's `ratelimit_api_limits`, debug header
 * X-Apig-RateLimit-api-allenv): calls per window to one Api, all environments together, on top of
 * any ThrottlePolicy.
 */
export interface DefaultApiLimitIR {
  readonly limit: number;
  readonly unit: RateLimitUnit;
}

/** Gateway-wide rate limiting; absent from GatewayIR: nothing is rate limited. */
export interface RateLimitIR {
  readonly service: RateLimitServiceIR;
  /** Calls per day through each group's default subdomain (Huawei: 1,000, not configurable). */
  readonly subdomainDailyLimit: number;
  /** Absent: no default limit (the operator's default; see DefaultApiLimitIR). */
  readonly defaultApiLimit?: DefaultApiLimitIR;
  readonly appQuotas: readonly AppQuotaIR[];
}

/** The rate-limit fleet of an Envoy fleet: envoyproxy/ratelimit instances join it (node metadata `fleet`). */
export function rateLimitFleet(fleet: string): string {
  return `${fleet}:ratelimit`;
}
