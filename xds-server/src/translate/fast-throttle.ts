// Fast throttling (ThrottlePolicy precision Fast): each Envoy counts in its own memory with Envoy's
// local rate-limit filter, and no call leaves Envoy. docs/policies.md states the guarantee.
//
//   - The buckets live in the filter's configuration, one ECDS resource (turnpike.throttle.fast):
//     one filter instance per listener, whose buckets every route of that listener shares (Shared
//     counting spans Apis), and a change of the limits or of the number of Envoys touches no
//     listener or route.
//   - Each bucket holds the Envoy's share of the limit, ceil(limit / envoys), refilled at that many
//     calls per window; the control plane recomputes the share when an Envoy of the fleet connects
//     or disconnects (the `envoys` argument of translateIR).
//   - Routes name their limits as route-level rate_limits of stage FAST_STAGE: the global filters
//     (ratelimit.ts) read per-filter descriptors and stage 0, so they never see these. Envoy 1.36
//     warns that a future version ignores route-level rate_limits here (docs/policies.md).
//   - Per-IP and per-App limits are wildcard descriptors: Envoy keeps one bucket per address or App,
//     at most MAX_TRACKED_CLIENTS per limit (the least recently seen is forgotten).
import { THROTTLED } from '../errors/catalog';
import type { GatewayIR, RateLimitUnit, RouteIR, ThrottleIR } from '../ir';
import { APP_ID_HEADER } from '../ir';
import type { Feature } from './feature';
import { byString, typed, type JsonObject } from './json';
import { perGroup } from './per-group';
import { REPLY_HEADER } from './lua';
import { countsApps, DescriptorKey, policyKey } from './ratelimit';
import { answer, statusIs } from './reply-mappers';

/** The HTTP filter's name and its ECDS resource name. */
export const FAST_THROTTLE_FILTER = 'turnpike.throttle.fast';
const LOCAL_RATE_LIMIT_TYPE = 'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';
/** The stage of the route-level rate_limits the local filter reads (the global filters read stage 0). */
const FAST_STAGE = 1;
/** Distinct client addresses (or Apps) one Envoy keeps a bucket for, per limit. */
const MAX_TRACKED_CLIENTS = 10_000;

export const WINDOW_SECONDS: Readonly<Record<RateLimitUnit, number>> = { SECOND: 1, MINUTE: 60, HOUR: 3600, DAY: 86400 };

/** The Fast throttle of a route, if its ThrottlePolicy counts Fast. */
export function fastThrottle(route: RouteIR): ThrottleIR | undefined {
  const throttle = route.policies?.throttle;
  return throttle?.precision === 'Fast' ? throttle : undefined;
}

/**
 * The filter entry (its configuration, the buckets, comes over ECDS) and its refusals: Envoy's
 * local rate limit flags RL only after its reply is formatted, so a 429 without a local-reply mark
 * (a mock Api's own 429 has one) is a Fast limit's.
 */
export const FAST_THROTTLE: Feature = {
  httpFilters: () => [{
    name: FAST_THROTTLE_FILTER,
    config_discovery: { config_source: { ads: {}, resource_api_version: 'V3' }, type_urls: [`type.googleapis.com/${LOCAL_RATE_LIMIT_TYPE}`] },
  }],
  extensionConfigs: (ir, fleet) => [fastThrottleConfig(ir, fleet.envoys)],
  replyMappers: {
    limited: [answer({ and_filter: { filters: [statusIs(THROTTLED.status), { header_filter: { header: { name: REPLY_HEADER, present_match: true, invert_match: true } } }] } }, THROTTLED)],
  },
};

const generic = (key: string, value: string): JsonObject => ({ generic_key: { descriptor_key: key, descriptor_value: value } });
const entry = (key: string, value = ''): JsonObject => ({ key, value });
const scopeOf = (throttle: ThrottleIR, environment: string): string => `${environment}/${throttle.scope}`;

/** The route's rate_limits (RouteAction): one descriptor per limit. */
export function fastRateLimits(throttle: ThrottleIR, environment: string): JsonObject[] {
  const base = [generic(DescriptorKey.throttle, policyKey(throttle.source)), generic(DescriptorKey.scope, scopeOf(throttle, environment))];
  const limits = [base];
  // Without an authenticated App Envoy produces no app descriptor, and nothing is counted for it.
  if (countsApps(throttle)) limits.push([...base, { request_headers: { header_name: APP_ID_HEADER, descriptor_key: DescriptorKey.app } }]);
  if (throttle.ip !== undefined) limits.push([...base, { remote_address: {} }]);
  return limits.map((actions) => ({ stage: FAST_STAGE, actions }));
}

/**
 * The limit Envoy's x-ratelimit-* headers describe on a call that passes: the one with the fewest
 * calls per window (Envoy checks the tightest first). Special Apps aside, that is this dimension.
 */
export function tightestLimit(throttle: ThrottleIR, route: RouteIR): 'api' | 'app' | 'ip' {
  const limits: ['api' | 'app' | 'ip', number | undefined][] = [['api', throttle.api], ['app', route.auth.type === 'APP' ? throttle.app : undefined], ['ip', throttle.ip]];
  let tightest: ['api' | 'app' | 'ip', number] = ['api', throttle.api];
  for (const [name, limit] of limits) if (limit !== undefined && limit < tightest[1]) tightest = [name, limit];
  return tightest[0];
}

/** This Envoy's share of a limit: never more than limit + envoys - 1 across the fleet. */
export function share(limit: number, envoys: number): number {
  return Math.ceil(limit / Math.max(1, envoys));
}

function bucket(limit: number, unit: RateLimitUnit, envoys: number): JsonObject {
  const tokens = share(limit, envoys);
  return { max_tokens: tokens, tokens_per_fill: tokens, fill_interval: `${WINDOW_SECONDS[unit]}s` };
}

/** The filter's descriptors of one policy in one scope (`<environment>/<api or *>`). */
function scopeDescriptors(throttle: ThrottleIR, scope: string, envoys: number): JsonObject[] {
  const base = [entry(DescriptorKey.throttle, policyKey(throttle.source)), entry(DescriptorKey.scope, scope)];
  const at = (limit: number): JsonObject => bucket(limit, throttle.unit, envoys);
  const out: JsonObject[] = [{ entries: base, token_bucket: at(throttle.api) }];
  for (const special of [...throttle.specialApps].sort((a, b) => byString(a.appId, b.appId))) {
    out.push({ entries: [...base, entry(DescriptorKey.app, special.appId)], token_bucket: at(special.limit) });
  }
  if (throttle.app !== undefined) out.push({ entries: [...base, entry(DescriptorKey.app)], token_bucket: at(throttle.app) });
  if (throttle.ip !== undefined) out.push({ entries: [...base, entry(DescriptorKey.ip)], token_bucket: at(throttle.ip) });
  return out;
}

/** A policy counted in one scope (`<environment>/<api or *>`). */
interface FastScope { readonly throttle: ThrottleIR; readonly scope: string }

/** Every (policy, scope) a group's routes count in, keyed `<policy> <scope>`, from routes' identities. */
const fastScopes = perGroup((group): ReadonlyMap<string, FastScope> => {
  const found = new Map<string, FastScope>();
  for (const route of group.routes) {
    const throttle = fastThrottle(route);
    if (throttle === undefined) continue;
    const scope = scopeOf(throttle, route.environment);
    found.set(`${policyKey(throttle.source)} ${scope}`, { throttle, scope });
  }
  return found;
});

/**
 * The filter's ECDS resource (TypedExtensionConfig). The LocalRateLimit travels as a TypedStruct
 * that Envoy parses with its own schema: max_dynamic_descriptors is newer than the vendored one.
 */
export function fastThrottleConfig(ir: GatewayIR, envoys: number): JsonObject {
  const scopes = new Map<string, FastScope>();
  for (const group of ir.groups) for (const [key, value] of fastScopes(group)) scopes.set(key, value);
  const descriptors = [...scopes].sort(([a], [b]) => byString(a, b)).flatMap(([, { throttle, scope }]) => scopeDescriptors(throttle, scope, envoys));
  const always = { default_value: { numerator: 100, denominator: 'HUNDRED' }, runtime_key: `${FAST_THROTTLE_FILTER}.enabled` };
  return {
    name: FAST_THROTTLE_FILTER,
    typed_config: typed('xds.type.v3.TypedStruct', {
      type_url: `type.googleapis.com/${LOCAL_RATE_LIMIT_TYPE}`,
      value: {
        stat_prefix: 'throttle_fast',
        stage: FAST_STAGE,
        filter_enabled: always,
        filter_enforced: { ...always, runtime_key: `${FAST_THROTTLE_FILTER}.enforced` },
        // No default bucket: a call no descriptor matches is not limited.
        always_consume_default_token_bucket: false,
        max_dynamic_descriptors: MAX_TRACKED_CLIENTS,
        // The hygiene filter publishes these in debug mode and drops them otherwise (lua.ts).
        enable_x_ratelimit_headers: 'DRAFT_VERSION_03',
        descriptors,
      },
    }),
  };
}
