// IR → the ratelimit.config.ratelimit.v3.RateLimitConfig envoyproxy/ratelimit loads over ADS (its
// own fleet, rateLimitFleet()). One resource, domain RATELIMIT_DOMAIN, holding the trees that
// mirror the descriptors ratelimit.ts puts on routes:
//
//   header_match=limits                            (every limit of a route; ratelimit.ts inMode)
//     throttle=<ns>/<policy>                       (one per ThrottlePolicy in use)
//       scope (any value: <env>/<api> or <env>/*)  api limit
//         remote_address (any value)               ip limit
//         app=<special app id>                     that App's limit
//         app (any value)                          app limit
//     api_allenv (any value: <ns>/<api>)           the gateway's default limit per Api
//   header_match=subdomain
//     group (any value)                            the default subdomain's daily cap
//   quota=<app id>                                 that App's quota
//
// A key without a value counts each value separately, so "any value" is one counter per Api, per
// client address, per App or per group. Windows are fixed calendar windows of one unit (UTC).
import type { GatewayIR, RateLimitUnit, ThrottleIR } from '../ir';
import { appId } from '../ir';
import { TYPE_URLS } from '../proto/type-urls';
import { byString, type JsonObject } from './json';
import { perGroup } from './per-group';
import { countsApps, DescriptorKey, LIMITS_MATCH_VALUE, policyKey, RATELIMIT_DOMAIN, SUBDOMAIN_MATCH_VALUE, type Dimension } from './ratelimit';

export const RATELIMIT_CONFIG_TYPE = TYPE_URLS.rateLimitConfig;
/** The one RateLimitConfig resource's name. */
export const RATELIMIT_CONFIG_NAME = 'turnpike';

function limit(unit: RateLimitUnit, requests: number, name: Dimension | 'subdomain' | 'quota'): JsonObject {
  return { unit, requests_per_unit: requests, name };
}

function throttleTree(throttle: ThrottleIR): JsonObject {
  const perScope: JsonObject[] = [];
  if (throttle.ip !== undefined) perScope.push({ key: DescriptorKey.ip, rate_limit: limit(throttle.unit, throttle.ip, 'ip') });
  if (countsApps(throttle)) {
    const specials = [...throttle.specialApps].sort((a, b) => byString(a.appId, b.appId));
    for (const special of specials) perScope.push({ key: DescriptorKey.app, value: special.appId, rate_limit: limit(throttle.unit, special.limit, 'app') });
    // Apps that are not special: the app limit, or (special apps only) no per-App limit.
    perScope.push(throttle.app === undefined ? { key: DescriptorKey.app } : { key: DescriptorKey.app, rate_limit: limit(throttle.unit, throttle.app, 'app') });
  }
  const scope = { key: DescriptorKey.scope, rate_limit: limit(throttle.unit, throttle.api, 'api'), ...(perScope.length === 0 ? {} : { descriptors: perScope }) };
  return { key: DescriptorKey.throttle, value: policyKey(throttle.source), descriptors: [scope] };
}

/** A group's Exact throttles (one per route that has one). */
const exactThrottlesOf = perGroup((group) => group.routes.flatMap((route) => {
  const throttle = route.policies?.throttle;
  return throttle?.precision === 'Exact' ? [throttle] : [];
}));

/** Every Exact ThrottlePolicy the routes use, once each (all routes of a policy carry the same limits). */
function throttles(ir: GatewayIR): ThrottleIR[] {
  const byPolicy = new Map<string, ThrottleIR>();
  for (const group of ir.groups) {
    for (const throttle of exactThrottlesOf(group)) if (!byPolicy.has(policyKey(throttle.source))) byPolicy.set(policyKey(throttle.source), throttle);
  }
  return [...byPolicy].sort(([a], [b]) => byString(a, b)).map(([, throttle]) => throttle);
}

/** The RateLimitConfig (proto3 JSON), or undefined when the gateway has no rate-limit service. */
export function buildRateLimitConfig(ir: GatewayIR): JsonObject | undefined {
  const rateLimit = ir.rateLimit;
  if (rateLimit === undefined) return undefined;
  const subdomain = {
    key: DescriptorKey.headerMatch,
    value: SUBDOMAIN_MATCH_VALUE,
    descriptors: [{ key: DescriptorKey.group, rate_limit: limit('DAY', rateLimit.subdomainDailyLimit, 'subdomain') }],
  };
  const quotas = [...rateLimit.appQuotas]
    .map((quota) => ({ key: DescriptorKey.quota, value: appId(quota.source), rate_limit: limit(quota.unit, quota.limit, 'quota') }))
    .sort((a, b) => byString(a.value, b.value));
  const fallback = rateLimit.defaultApiLimit;
  const defaults = fallback === undefined ? [] : [{ key: DescriptorKey.apiAllEnv, rate_limit: limit(fallback.unit, fallback.limit, 'api-allenv') }];
  const limits = [...throttles(ir).map(throttleTree), ...defaults];
  const modes = limits.length === 0 ? [] : [{ key: DescriptorKey.headerMatch, value: LIMITS_MATCH_VALUE, descriptors: limits }];
  return { name: RATELIMIT_CONFIG_NAME, domain: RATELIMIT_DOMAIN, descriptors: [...modes, subdomain, ...quotas] };
}

/**
 * The rate-limit fleet's resources (type URL → name → resource), for SnapshotCache.set. Empty
 * without a rate-limit service; otherwise always the one resource, so a freshly started
 * envoyproxy/ratelimit (which serves nothing before its first configuration) becomes ready.
 */
export function translateRateLimitConfig(ir: GatewayIR): ReadonlyMap<string, ReadonlyMap<string, JsonObject>> {
  const config = buildRateLimitConfig(ir);
  return new Map([[RATELIMIT_CONFIG_TYPE, new Map(config === undefined ? [] : [[RATELIMIT_CONFIG_NAME, config]])]]);
}
