// What a route's policies put on its Envoy route, decided from the IR (routes.ts assembles the
// route): RBAC rules and rate-limit descriptors in typed_per_filter_config (rbac.ts, ratelimit.ts).
//
// A limited route (a ThrottlePolicy, or the gateway's default limit per Api) names its limits
// twice: for the normal filter, all in one call, and for one debug filter per limit, each in a
// call of its own that only `X-Apig-Mode: debug` calls make (docs/huawei-compatibility.md §11; ratelimit.ts inMode),
// so the x-ratelimit-* headers of each describe exactly one limit and the Lua filter can publish
// them as X-Apig-RateLimit-api|app|ip|api-allenv. Both count against the same counters.
// A Fast ThrottlePolicy counts in Envoy instead (fast-throttle.ts): its limits are route-level
// rate_limits for the local rate-limit filter, and the window in the hygiene filter's metadata.
import type { ApiGroupIR, GatewayIR, RouteIR, SourceRef } from '../ir';
import { fastRateLimits, fastThrottle, tightestLimit, WINDOW_SECONDS } from './fast-throttle';
import type { JsonObject } from './json';
import { FAST_LIMIT_KEY, FAST_WINDOW_KEY } from './lua';
import { appAclPerRoute, ipAclPerRoute } from './rbac';
import {
  defaultApiDescriptor, inMode, quotaDescriptor, RateLimitFilter, rateLimitPerRoute, subdomainDescriptor, throttleDescriptors, type Dimension,
} from './ratelimit';

/** What the route configuration knows beyond the route. */
export interface PolicyContext {
  /** A rate-limit service is configured (the rate-limit filters exist). */
  readonly rateLimit: boolean;
  /** Some App has a quota. */
  readonly quotas: boolean;
  /** The gateway has a default limit per Api. */
  readonly defaultApiLimit: boolean;
  readonly group: SourceRef;
  /** The group's default subdomain, when enabled: its calls count against the daily cap. */
  readonly subdomain?: string;
}

/** What the gateway's rate limiting means for every group's routes. */
export interface RateLimitFlags {
  readonly rateLimit: boolean;
  readonly quotas: boolean;
  readonly defaultApiLimit: boolean;
}

export function rateLimitFlags(ir: GatewayIR): RateLimitFlags {
  return {
    rateLimit: ir.rateLimit !== undefined,
    quotas: (ir.rateLimit?.appQuotas.length ?? 0) > 0,
    defaultApiLimit: ir.rateLimit?.defaultApiLimit !== undefined,
  };
}

/** The policy context of a group's routes. */
export function policyContext(flags: RateLimitFlags, group: ApiGroupIR): PolicyContext {
  return {
    rateLimit: flags.rateLimit,
    quotas: flags.quotas,
    defaultApiLimit: flags.defaultApiLimit,
    group: group.source,
    ...(group.subdomain === undefined ? {} : { subdomain: group.subdomain }),
  };
}

function aclConfigs(route: RouteIR): Record<string, JsonObject> {
  const { ipAcl, appAcl } = route.policies ?? {};
  return { ...(ipAcl === undefined ? {} : ipAclPerRoute(ipAcl)), ...(appAcl === undefined ? {} : appAclPerRoute(appAcl)) };
}

/** The limits a route counts against in the rate-limit service: its Exact ThrottlePolicy's and the gateway's default. */
function routeLimits(route: RouteIR, context: PolicyContext): Map<Dimension, JsonObject> {
  const throttle = route.policies?.throttle?.precision === 'Exact' ? route.policies.throttle : undefined;
  const limits = throttle === undefined ? new Map<Dimension, JsonObject>() : throttleDescriptors(throttle, route.environment);
  if (context.defaultApiLimit) limits.set('api-allenv', defaultApiDescriptor(route.source));
  return limits;
}

/** A FailClosed Exact ThrottlePolicy's call fails closed, the default limit with it (one call per request). */
function failsClosed(route: RouteIR): boolean {
  const throttle = route.policies?.throttle;
  return throttle?.precision === 'Exact' && throttle.failClosed;
}

function rateLimitConfigs(route: RouteIR, context: PolicyContext): Record<string, JsonObject> {
  if (!context.rateLimit) return {};
  const out: Record<string, JsonObject> = {};
  if (context.subdomain !== undefined) out[RateLimitFilter.subdomain] = rateLimitPerRoute([subdomainDescriptor(context.group, context.subdomain)]);
  const limits = routeLimits(route, context);
  if (limits.size > 0) {
    const failClosed = failsClosed(route);
    out[RateLimitFilter.throttle(failClosed)] = rateLimitPerRoute([...limits.values()].map((descriptor) => inMode(descriptor, false)));
    for (const [dimension, descriptor] of limits) out[RateLimitFilter.debug(dimension, failClosed)] = rateLimitPerRoute([inMode(descriptor, true)]);
  }
  if (context.quotas && route.auth.type === 'APP') out[RateLimitFilter.quota] = rateLimitPerRoute([quotaDescriptor()]);
  return out;
}

/** What a route's policies put on its Envoy route, decided from the IR. */
export interface RoutePolicies {
  /** typed_per_filter_config entries: RBAC rules and rate-limit descriptors. */
  readonly perFilter: Readonly<Record<string, JsonObject>>;
  /** A Fast ThrottlePolicy: route-level rate_limits, and what the hygiene filter's debug headers name. */
  readonly fast?: { readonly rateLimits: readonly JsonObject[]; readonly hygiene: Readonly<Record<string, string>> };
}

/** The policies of a route that does not answer an error (those refuse every call anyway). */
export function routePolicies(route: RouteIR, context: PolicyContext | undefined): RoutePolicies {
  const perFilter = { ...aclConfigs(route), ...(context === undefined ? {} : rateLimitConfigs(route, context)) };
  const throttle = fastThrottle(route);
  if (throttle === undefined) return { perFilter };
  const hygiene = { [FAST_WINDOW_KEY]: String(WINDOW_SECONDS[throttle.unit]), [FAST_LIMIT_KEY]: tightestLimit(throttle, route) };
  return { perFilter, fast: { rateLimits: fastRateLimits(throttle, route.environment), hygiene } };
}

/** Whether a route is under some policy (then a mock answers through the mock filter: mock-reply.ts). */
export function policed(policies: RoutePolicies): boolean {
  return Object.keys(policies.perFilter).length > 0 || policies.fast !== undefined;
}
