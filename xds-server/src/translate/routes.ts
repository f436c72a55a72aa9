// The Envoy routes of one Api in one environment, the same on both listener sides: an Api served
// on one protocol only tells the sides apart by `:scheme`, which each listener overwrites with its
// own (hcm.ts), so one RouteConfiguration per group serves both (route-config.ts).
import { APP_AUTH_UNAVAILABLE, BACKEND_SIGNING_FAILED, protocolNotSupported, type GatewayError } from '../errors/catalog';
import { type ClusterIR, type ForwardBackendIR, type MockBackendIR, type RouteIR, type SourceRef } from '../ir';
import { corsHeaders } from './cors';
import { TranslateError } from './translate-error';
import { authnRoute } from './authn';
import { byString, type JsonObject } from './json';
import { HYGIENE_FILTER, replyMetadata } from './lua';
import { filteredMock } from './mock-reply';
import { sourceMetadata } from './metadata';
import { pathRouting } from './path-match';
import { policed, routePolicies, type PolicyContext, type RoutePolicies } from './policy-routes';
import { retryPolicy, timeouts } from './retry';
import { stageMatcher } from './stage';
import { hostHeader } from './upstream-host';

/** A listener, by the scheme it serves. */
export type Side = 'http' | 'https';

export interface RouteContext {
  readonly clusters: ReadonlyMap<string, ClusterIR>;
  /** The HCM runs the authn filter (an authn module is configured); default false. */
  readonly authn?: boolean;
  /** The ApiGroup of the virtual host (authn facts); default: the Api's namespace and no name. */
  readonly group?: SourceRef;
  /** The group's rate-limit facts; none: the gateway has no rate-limit service. */
  readonly policy?: PolicyContext;
}

/** `<namespace>/<api>/<environment>`: unique per route configuration, shown in logs and stats. */
function routeName(route: RouteIR): string {
  return `${route.source.namespace}/${route.source.name}/${route.environment}`;
}

/**
 * Method, then environment (X-Stage, RELEASE when absent: normalised before routing, stage.ts),
 * then the scheme when the route serves one only (`:scheme` as the listener set it, hcm.ts).
 */
function headerMatchers(route: RouteIR, scheme?: Side): JsonObject[] {
  const method = route.method === 'ANY' ? [] : [{ name: ':method', string_match: { exact: route.method } }];
  const only = scheme === undefined ? [] : [{ name: ':scheme', string_match: { exact: scheme } }];
  return [...method, stageMatcher(route.environment), ...only];
}

/** A route that must answer with an error instead of its backend, on either side. */
function errorFor(route: RouteIR, context: RouteContext): GatewayError | undefined {
  // Without the authn filter nothing can verify signatures, or sign for the backend: fail closed.
  if (route.auth.type === 'APP' && context.authn !== true) return APP_AUTH_UNAVAILABLE;
  if (route.backend.kind === 'Forward' && route.backend.signatureKey !== undefined && context.authn !== true) return BACKEND_SIGNING_FAILED;
  return undefined;
}

/** The Host the backend receives when the route rewrites it. */
function upstreamHost(backend: ForwardBackendIR, cluster: ClusterIR): string | undefined {
  return backend.hostRewrite ?? (cluster.kind === 'Url' ? hostHeader(cluster) : undefined);
}

/** The route's side of the authn filter (off, or its facts as route metadata); nothing without the filter. */
function authnConfig(route: RouteIR, context: RouteContext, backend?: Upstream, answersLocally = false): Partial<ReturnType<typeof authnRoute>> {
  if (context.authn !== true) return {};
  const group = context.group ?? { kind: 'ApiGroup', namespace: route.source.namespace, name: '' };
  return authnRoute(route, { group, answersLocally, ...(backend === undefined ? {} : { backend }) });
}

/** typed_per_filter_config, keys sorted; none when empty. */
function perFilter(configs: JsonObject): JsonObject {
  const entries = Object.entries(configs).sort(([a], [b]) => byString(a, b));
  return entries.length === 0 ? {} : { typed_per_filter_config: Object.fromEntries(entries) };
}

/** Route facts under METADATA_NAMESPACE: the access log and the hygiene filter read them. */
function routeFacts(route: RouteIR, context: RouteContext): JsonObject {
  const auth = route.auth.type === 'APP' ? { auth: 'APP', app_code: route.auth.appCode } : { auth: 'NONE' };
  const group = context.group === undefined ? {} : { group: `${context.group.namespace}/${context.group.name}` };
  return { api: `${route.source.namespace}/${route.source.name}`, ...group, environment: route.environment, ...auth };
}

function mockAction(mock: MockBackendIR): JsonObject {
  if (!Number.isInteger(mock.status) || mock.status < 200 || mock.status > 599) {
    throw new TranslateError('XDS_TRANSLATE_OUT_OF_RANGE', `mock status ${mock.status} is outside Envoy's 200..599`);
  }
  return { direct_response: mock.body === '' ? { status: mock.status } : { status: mock.status, body: { inline_string: mock.body } } };
}

function mockHeaders(mock: MockBackendIR): JsonObject[] {
  return mock.headers.map((h) => ({ header: { key: h.name.toLowerCase(), value: h.value }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }));
}

/** What the backend receives: the path rewrite, and the Host when the route rewrites it. */
interface Upstream { readonly rewrite: JsonObject; readonly host?: string }

function upstreamOf(route: RouteIR, backend: ForwardBackendIR, clusters: ReadonlyMap<string, ClusterIR>, rewrite: JsonObject): Upstream {
  const cluster = clusters.get(backend.cluster);
  if (cluster === undefined) {
    throw new TranslateError('XDS_TRANSLATE_UNKNOWN_CLUSTER', `${routeName(route)} forwards to unknown cluster ${backend.cluster}`);
  }
  const host = upstreamHost(backend, cluster);
  return { rewrite, ...(host === undefined ? {} : { host }) };
}

function forwardAction(route: RouteIR, backend: ForwardBackendIR, upstream: Upstream, rateLimits: JsonObject): JsonObject {
  const retry = retryPolicy(backend.retries, route.method);
  return {
    route: {
      cluster: backend.cluster,
      ...timeouts(backend),
      ...upstream.rewrite,
      ...(upstream.host === undefined ? {} : { host_rewrite_literal: upstream.host }),
      ...(retry === undefined ? {} : { retry_policy: retry }),
      ...rateLimits,
    },
  };
}

/** A route that answers a gateway error (wrong protocol, no authn module) instead of its backend. */
function errorRoute(route: RouteIR, context: RouteContext, error: GatewayError, scheme?: Side): JsonObject {
  const authn = authnConfig(route, context, undefined, true);
  return {
    name: routeName(route),
    match: { ...pathRouting(route.path, route.match).match, headers: headerMatchers(route, scheme) },
    direct_response: { status: error.status },
    ...perFilter(authn.perFilter ?? {}),
    metadata: sourceMetadata(route.source, routeFacts(route, context), { [HYGIENE_FILTER]: replyMetadata({ kind: 'error', code: error.code, message: error.message }), ...authn.metadata }),
  };
}

/** How a route answers: its action, response headers, and what the mock filter needs when it answers. */
interface Answer {
  readonly action: JsonObject;
  readonly headers: readonly JsonObject[];
  /** Route metadata under the hygiene filter (a direct mock reply is marked as one). */
  readonly hygiene: Readonly<Record<string, string>>;
  readonly perFilter: JsonObject;
  readonly metadata: JsonObject;
}

/** The route's backend, with what a forwarding backend receives. */
type Target = { readonly kind: 'Forward'; readonly backend: ForwardBackendIR; readonly upstream: Upstream } | { readonly kind: 'Mock'; readonly backend: MockBackendIR };

function answer(route: RouteIR, target: Target, policies: RoutePolicies): Answer {
  const rateLimits = policies.fast === undefined ? {} : { rate_limits: policies.fast.rateLimits };
  const none = { perFilter: {}, metadata: {} };
  if (target.kind === 'Forward') return { action: forwardAction(route, target.backend, target.upstream, rateLimits), headers: corsHeaders(route), hygiene: {}, ...none };
  const backend = target.backend;
  if (!policed(policies)) return { action: mockAction(backend), headers: [...mockHeaders(backend), ...corsHeaders(route)], hygiene: replyMetadata({ kind: 'mock' }), ...none };
  // Policies must run before a mock answers: the mock filter does, with the mock's headers (CORS's included).
  const filtered = filteredMock(route, backend);
  return { action: { route: { cluster: filtered.cluster, ...rateLimits } }, headers: [], hygiene: {}, perFilter: filtered.perFilter, metadata: filtered.metadata };
}

/**
 * The Envoy route of one Api in one environment, every part decided from the IR: the action
 * (forward; a mock's direct response, or the mock filter's answer when policies must run first:
 * mock-reply.ts), the policies' per-route configs and Fast limits (policy-routes.ts), authn's
 * facts (authn.ts), CORS headers and the metadata the hygiene filter and the access log read.
 */
function buildRoute(route: RouteIR, context: RouteContext, scheme?: Side): JsonObject {
  const error = errorFor(route, context);
  if (error !== undefined) return errorRoute(route, context, error, scheme);
  const backend = route.backend;
  const policies = routePolicies(route, context.policy);
  const routing = pathRouting(route.path, route.match, backend.kind === 'Forward' ? backend.path : undefined);
  const target: Target = backend.kind === 'Forward'
    ? { kind: 'Forward', backend, upstream: upstreamOf(route, backend, context.clusters, routing.rewrite) }
    : { kind: 'Mock', backend };
  const authn = authnConfig(route, context, target.kind === 'Forward' ? target.upstream : undefined);
  const answered = answer(route, target, policies);
  const hygiene = { ...answered.hygiene, ...policies.fast?.hygiene };
  const filters = { ...(Object.keys(hygiene).length === 0 ? {} : { [HYGIENE_FILTER]: hygiene }), ...authn.metadata, ...answered.metadata };
  return {
    name: `${routeName(route)}${authn.nameSuffix ?? ''}`,
    // Per-route upstream stats (calls, status classes, upstream latency) for routes that have a
    // backend; the bootstrap's stats_tags turn the prefix into Api and environment labels.
    ...(backend.kind === 'Forward' ? { stat_prefix: routeName(route) } : {}),
    match: { ...routing.match, headers: headerMatchers(route, scheme) },
    ...answered.action,
    ...(answered.headers.length === 0 ? {} : { response_headers_to_add: answered.headers }),
    ...perFilter({ ...authn.perFilter, ...answered.perFilter, ...policies.perFilter }),
    metadata: sourceMetadata(route.source, routeFacts(route, context), filters),
  };
}

/**
 * The Envoy routes of one Api in one environment (see buildRoute). An Api served on one protocol
 * only has two: its route for that scheme, then, with the same match otherwise, the error that
 * answers the other (400 APIG.0607).
 */
export function buildRoutes(route: RouteIR, context: RouteContext): JsonObject[] {
  if (route.protocol === 'BOTH') return [buildRoute(route, context)];
  return [buildRoute(route, context, route.protocol === 'HTTPS' ? 'https' : 'http'), errorRoute(route, context, protocolNotSupported(route.protocol))];
}
