// Puts a route's policies on its Envoy route: RBAC rules and rate-limit descriptors in
// typed_per_filter_config (rbac.ts, ratelimit.ts), next to whatever else the route carries.
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
import { byString, isJsonObject, type JsonObject } from './json';
import { FAST_LIMIT_KEY, FAST_WINDOW_KEY, HYGIENE_FILTER } from './lua';
import { mockThroughFilters } from './mock-reply';
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

/** A route answering a gateway error (wrong protocol, no authn module) refuses the call anyway. */
function answersError(built: JsonObject): boolean {
  const metadata = built.metadata;
  if (!isJsonObject(metadata) || !isJsonObject(metadata.filter_metadata)) return false;
  const hygiene = metadata.filter_metadata[HYGIENE_FILTER];
  return isJsonObject(hygiene) && hygiene.reply === 'error';
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

function withConfigs(built: JsonObject, configs: Readonly<Record<string, JsonObject>>): JsonObject {
  if (Object.keys(configs).length === 0) return built;
  const existing = isJsonObject(built.typed_per_filter_config) ? built.typed_per_filter_config : {};
  const merged = Object.fromEntries(Object.entries({ ...existing, ...configs }).sort(([a], [b]) => byString(a, b)));
  return { ...built, typed_per_filter_config: merged };
}

/** A forwarding route with its Fast limits: route-level rate_limits, and what debug headers name. */
function withFastLimits(built: JsonObject, route: RouteIR): JsonObject {
  const throttle = fastThrottle(route);
  if (throttle === undefined || !isJsonObject(built.route)) return built;
  const metadata = isJsonObject(built.metadata) ? built.metadata : {};
  const filterMetadata = isJsonObject(metadata.filter_metadata) ? metadata.filter_metadata : {};
  const hygiene = isJsonObject(filterMetadata[HYGIENE_FILTER]) ? filterMetadata[HYGIENE_FILTER] : {};
  return {
    ...built,
    route: { ...built.route, rate_limits: fastRateLimits(throttle, route.environment) },
    metadata: { ...metadata, filter_metadata: { ...filterMetadata, [HYGIENE_FILTER]: { ...hygiene, [FAST_WINDOW_KEY]: String(WINDOW_SECONDS[throttle.unit]), [FAST_LIMIT_KEY]: tightestLimit(throttle, route) } } },
  };
}

/** The Envoy route for one built route, with its policies. */
export function withPolicies(built: JsonObject, route: RouteIR, context: PolicyContext): JsonObject {
  if (answersError(built)) return built;
  const configs = { ...aclConfigs(route), ...rateLimitConfigs(route, context) };
  const answered = Object.keys(configs).length === 0 && fastThrottle(route) === undefined ? built : mockThroughFilters(built, route);
  return withConfigs(withFastLimits(answered, route), configs);
}
