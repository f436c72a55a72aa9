// Envoy's side of throttling (docs/huawei-compatibility.md §3, §7): the global rate-limit filters, the cluster that
// reaches envoyproxy/ratelimit, and the per-route descriptors. The service's own configuration
// (limits per descriptor) is ratelimit-config.ts; both halves share the descriptor keys below.
//
// One filter instance per purpose, all present whenever a rate-limit service is configured (so a
// policy change touches only routes, never the listener, and no connection is drained):
//   subdomain            the default subdomain's daily cap            429, fails open
//   throttle             ThrottlePolicies with failureMode FailOpen,  429, fails open
//                        and the gateway's default limit per Api
//   throttle.failclosed  ThrottlePolicies with failureMode FailClosed 429, fails closed (500)
//                        (with the default limit, so a call stays one call)
//   debug.<dim>[.failclosed]  the same limits one dimension per call, with x-ratelimit-* headers
//                        (only for X-Apig-Mode: debug calls; see inMode)
//   quota                App quotas                                    405, fails open
// Each route names the descriptors it sends in typed_per_filter_config (RateLimitPerRoute); a
// filter without per-route configuration sends nothing and costs nothing, and a debug filter on a
// call without X-Apig-Mode: debug costs one header match.
import { INTERNAL_ERROR, QUOTA_USED_UP, THROTTLED } from '../errors/catalog';
import { APP_ID_HEADER, type RateLimitServiceIR, type SourceRef, type ThrottleIR } from '../ir';
import type { Feature } from './feature';
import { duration, typed, type JsonObject, type JsonValue } from './json';
import { grpcServiceCluster } from './grpc-cluster';
import { answer, flagsAre, statusIs } from './reply-mappers';

/** The CDS cluster Envoy reaches envoyproxy/ratelimit through. */
export const RATELIMIT_CLUSTER = 'turnpike-ratelimit';
/** The one rate-limit domain: Envoy's filters and the RateLimitConfig must agree on it. */
export const RATELIMIT_DOMAIN = 'turnpike';
/**
 * How long Envoy waits for the service's answer. Envoy's default (20 ms) turns a busy service
 * into failures (calls let through unchecked, or 500s when failing closed); 500 ms only bounds a
 * hung service.
 */
const RATELIMIT_TIMEOUT_MS = 500;

/**
 * The limits on a route: a ThrottlePolicy's (api, app, ip) and the gateway's default per Api
 * (api-allenv). Also the names in X-Apig-RateLimit-<name> (docs/huawei-compatibility.md §11).
 */
export type Dimension = 'api' | 'app' | 'ip' | 'api-allenv';
const DIMENSIONS: readonly Dimension[] = ['api', 'app', 'ip', 'api-allenv'];

/** Descriptor entry keys (RateLimitConfig descriptor keys). */
export const DescriptorKey = {
  /** `<namespace>/<name>` of the ThrottlePolicy. */
  throttle: 'throttle',
  /** `<environment>/<api name>` (PerApi) or `<environment>/*` (Shared). */
  scope: 'scope',
  /** The client address (Envoy's remote_address action). */
  ip: 'remote_address',
  /** The authenticated App (x-turnpike-app-id). */
  app: 'app',
  /**
   * What Envoy's header_value_match action appends (its key is fixed in RateLimitPerRoute):
   * `subdomain` when the Host is a group's default subdomain, `limits` first in every limit (inMode).
   */
  headerMatch: 'header_match',
  /** `<namespace>/<name>` of the ApiGroup. */
  group: 'group',
  /** App quota: the authenticated App. */
  quota: 'quota',
  /** The gateway's default limit: `<namespace>/<name>` of the Api, whatever the environment. */
  apiAllEnv: 'api_allenv',
} as const;

export const SUBDOMAIN_MATCH_VALUE = 'subdomain';

/** Huawei's debug mode header (docs/huawei-compatibility.md §11): `X-Apig-Mode: debug`. */
const DEBUG_HEADER = 'x-apig-mode';
/** The value of the header_match entry every limit's descriptor starts with (see inMode). */
export const LIMITS_MATCH_VALUE = 'limits';

export const RateLimitFilter = {
  subdomain: 'turnpike.ratelimit.subdomain',
  quota: 'turnpike.ratelimit.quota',
  throttle: (failClosed: boolean): string => `turnpike.ratelimit.throttle${failClosed ? '.failclosed' : ''}`,
  debug: (dimension: Dimension, failClosed: boolean): string => `turnpike.ratelimit.debug.${dimension}${failClosed ? '.failclosed' : ''}`,
} as const;

interface FilterOptions {
  readonly failClosed: boolean;
  /** Over-limit status: 429 (Huawei THROTTLED) unless stated (App quota: 405). */
  readonly overLimit?: 'MethodNotAllowed';
  /** Add x-ratelimit-* (draft 03) to responses: the Lua filter turns them into X-Apig-RateLimit-*. */
  readonly headers?: boolean;
}

function filter(name: string, options: FilterOptions): JsonObject {
  return {
    name,
    typed_config: typed('envoy.extensions.filters.http.ratelimit.v3.RateLimit', {
      domain: RATELIMIT_DOMAIN,
      stat_prefix: name.slice('turnpike.ratelimit.'.length),
      timeout: duration(RATELIMIT_TIMEOUT_MS),
      failure_mode_deny: options.failClosed,
      // Huawei's FailClosed answer is a 500 (local-reply.ts gives it APIG.0601's body).
      ...(options.failClosed ? { status_on_error: { code: 'InternalServerError' } } : {}),
      rate_limit_service: { grpc_service: { envoy_grpc: { cluster_name: RATELIMIT_CLUSTER } }, transport_api_version: 'V3' },
      ...(options.overLimit === undefined ? {} : { rate_limited_status: { code: options.overLimit } }),
      ...(options.headers === true ? { enable_x_ratelimit_headers: 'DRAFT_VERSION_03' } : {}),
      disable_x_envoy_ratelimited_header: true,
    }),
  };
}

/**
 * The rate-limit HTTP filters, in chain order. The default limit's debug filters only when it is
 * set (operator configuration: a change restarts the operator).
 */
function rateLimitFilters(defaultApiLimit: boolean): JsonObject[] {
  const modes = [false, true];
  const dimensions = defaultApiLimit ? DIMENSIONS : DIMENSIONS.filter((d) => d !== 'api-allenv');
  return [
    filter(RateLimitFilter.subdomain, { failClosed: false }),
    ...modes.map((failClosed) => filter(RateLimitFilter.throttle(failClosed), { failClosed })),
    ...modes.flatMap((failClosed) => dimensions.map((d) => filter(RateLimitFilter.debug(d, failClosed), { failClosed, headers: true }))),
    // After throttling: a call a ThrottlePolicy rejects does not use up the App's quota.
    filter(RateLimitFilter.quota, { failClosed: false, overLimit: 'MethodNotAllowed' }),
  ];
}

/** The cluster of the rate-limit gRPC service (HTTP/2, keepalives so a dead instance is noticed). */
export function rateLimitCluster(service: RateLimitServiceIR, source: SourceRef): JsonObject {
  return grpcServiceCluster(RATELIMIT_CLUSTER, service, source);
}

// Descriptors -------------------------------------------------------------------------------

const generic = (key: string, value: string): JsonObject => ({ generic_key: { descriptor_key: key, descriptor_value: value } });

export function policyKey(source: SourceRef): string {
  return `${source.namespace}/${source.name}`;
}

/** The counters' identity: policy, then environment and Api (or `*` when Shared). */
function throttleBase(throttle: ThrottleIR, environment: string): JsonObject[] {
  return [generic(DescriptorKey.throttle, policyKey(throttle.source)), generic(DescriptorKey.scope, `${environment}/${throttle.scope}`)];
}

/** Whether the policy counts per App (an app limit, or special apps with their own). */
export function countsApps(throttle: ThrottleIR): boolean {
  return throttle.app !== undefined || throttle.specialApps.length > 0;
}

/** The descriptor of each dimension the policy limits (RateLimitConfig.rate_limits entries). */
export function throttleDescriptors(throttle: ThrottleIR, environment: string): Map<Dimension, JsonObject> {
  const base = throttleBase(throttle, environment);
  const out = new Map<Dimension, JsonObject>([['api', { actions: base }]]);
  // Without an authenticated App there is no app entry, and Envoy drops the whole descriptor (no
  // skip_if_absent: the remaining entries would be the api descriptor and count twice).
  if (countsApps(throttle)) out.set('app', { actions: [...base, { request_headers: { header_name: APP_ID_HEADER, descriptor_key: DescriptorKey.app } }] });
  if (throttle.ip !== undefined) out.set('ip', { actions: [...base, { remote_address: {} }] });
  return out;
}

/** Counts the Api's calls in every environment against the gateway's default limit. */
export function defaultApiDescriptor(api: SourceRef): JsonObject {
  return { actions: [generic(DescriptorKey.apiAllEnv, policyKey(api))] };
}

/**
 * A limit's descriptor for the normal filter (`debug` false) or its debug filter (true). Both start
 * with the same entry `header_match=limits`, so they count against the same counter, but each filter
 * produces it only on its side of `X-Apig-Mode: debug` (Envoy drops a descriptor whose action
 * appends nothing): a normal call asks for every limit in one call, a debug call asks for each
 * limit in a call of its own, whose x-ratelimit-* headers then describe exactly that limit.
 * The normal side inverts the header match: this message's `expect_match` is a plain bool, so
 * Envoy cannot tell false from unset and takes both as true.
 */
export function inMode(descriptor: JsonObject, debug: boolean): JsonObject {
  const actions = Array.isArray(descriptor.actions) ? (descriptor.actions as readonly JsonValue[]) : [];
  const isDebug = { name: DEBUG_HEADER, string_match: { exact: 'debug', ignore_case: true } };
  // Without the header the match must fail too, so that inverted it succeeds.
  const header = debug ? isDebug : { ...isDebug, invert_match: true, treat_missing_header_as_empty: true };
  const mode = { header_value_match: { descriptor_value: LIMITS_MATCH_VALUE, headers: [header] } };
  return { actions: [mode, ...actions] };
}

/** Regex for a Host header naming `hostname`, with or without a port, any case. */
function hostRegex(hostname: string): string {
  return `(?i)^${hostname.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?::[0-9]+)?$`;
}

/** Counts calls whose Host is the group's default subdomain; other hosts send nothing. */
export function subdomainDescriptor(group: SourceRef, subdomain: string): JsonObject {
  return {
    actions: [
      { header_value_match: { descriptor_value: SUBDOMAIN_MATCH_VALUE, headers: [{ name: ':authority', string_match: { safe_regex: { regex: hostRegex(subdomain) } } }] } },
      generic(DescriptorKey.group, policyKey(group)),
    ],
  };
}

/** Counts the authenticated App's calls against its quota (no App, no descriptor). */
export function quotaDescriptor(): JsonObject {
  return { actions: [{ request_headers: { header_name: APP_ID_HEADER, descriptor_key: DescriptorKey.quota } }] };
}

/** RateLimitPerRoute for one filter. */
export function rateLimitPerRoute(descriptors: readonly JsonObject[]): JsonObject {
  return typed('envoy.extensions.filters.http.ratelimit.v3.RateLimitPerRoute', { rate_limits: descriptors });
}

/**
 * Global rate limiting, when a rate-limit service is configured: its filters, its cluster, and its
 * refusals (an App quota used up: the quota filter's 405 with RL; any other limit: RL; the service
 * unreachable under a FailClosed ThrottlePolicy: RLSE).
 */
export const RATE_LIMIT: Feature = {
  httpFilters: (ir) => (ir.rateLimit === undefined ? [] : rateLimitFilters(ir.rateLimit.defaultApiLimit !== undefined)),
  clusters: (ir) => (ir.rateLimit === undefined ? [] : [rateLimitCluster(ir.rateLimit.service, ir.source)]),
  replyMappers: {
    limited: [
      answer({ and_filter: { filters: [flagsAre(['RL']), statusIs(QUOTA_USED_UP.status)] } }, QUOTA_USED_UP),
      answer(flagsAre(['RL']), THROTTLED),
      answer(flagsAre(['RLSE']), INTERNAL_ERROR),
    ],
  },
};
