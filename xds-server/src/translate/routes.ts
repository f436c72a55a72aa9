// One Envoy route per (Api, environment) on one listener side.
import { APP_AUTH_UNAVAILABLE, protocolNotSupported, type GatewayError } from '../errors/catalog';
import { type ClusterIR, type ForwardBackendIR, type MockBackendIR, type RouteIR, type SourceRef } from '../ir';
import { corsHeaders } from './cors';
import { TranslateError } from './translate-error';
import { authnRoute } from './authn';
import type { JsonObject } from './json';
import { HYGIENE_FILTER, replyMetadata } from './lua';
import { sourceMetadata } from './metadata';
import { pathRouting } from './path-match';
import { retryPolicy, timeouts } from './retry';
import { stageMatcher } from './stage';
import { hostHeader } from './upstream-host';

/** Which listener a route configuration serves. */
export type Side = 'http' | 'https';

export interface RouteContext {
  readonly side: Side;
  readonly clusters: ReadonlyMap<string, ClusterIR>;
  /** The HCM runs the authn filter (an authn module is configured); default false. */
  readonly authn?: boolean;
  /** The ApiGroup of the virtual host (authn facts); default: the Api's namespace and no name. */
  readonly group?: SourceRef;
}

/** `<namespace>/<api>/<environment>`: unique per route configuration, shown in logs and stats. */
function routeName(route: RouteIR): string {
  return `${route.source.namespace}/${route.source.name}/${route.environment}`;
}

/** Method, then environment (X-Stage, RELEASE when absent: normalised before routing, stage.ts). */
function headerMatchers(route: RouteIR): JsonObject[] {
  const stage = stageMatcher(route.environment);
  if (route.method === 'ANY') return [stage];
  return [{ name: ':method', string_match: { exact: route.method } }, stage];
}

/** A route that must answer with an error instead of its backend. */
function errorFor(route: RouteIR, context: RouteContext): GatewayError | undefined {
  const { side } = context;
  if (side === 'http' && route.protocol === 'HTTPS') return protocolNotSupported('HTTPS');
  if (side === 'https' && route.protocol === 'HTTP') return protocolNotSupported('HTTP');
  // Without the authn filter nothing can verify signatures: APP Apis fail closed.
  if (route.auth.type === 'APP' && context.authn !== true) return APP_AUTH_UNAVAILABLE;
  return undefined;
}

/** The Host the backend receives when the route rewrites it. */
function upstreamHost(backend: ForwardBackendIR, cluster: ClusterIR): string | undefined {
  return backend.hostRewrite ?? (cluster.kind === 'Url' ? hostHeader(cluster) : undefined);
}

/** The route's side of the authn filter (off, or its facts as route metadata); nothing without the filter. */
function authnConfig(route: RouteIR, context: RouteContext, backend?: { rewrite: JsonObject; host?: string }, answersLocally = false): Partial<ReturnType<typeof authnRoute>> {
  if (context.authn !== true) return {};
  const group = context.group ?? { kind: 'ApiGroup', namespace: route.source.namespace, name: '' };
  return authnRoute(route, { tls: context.side === 'https', group, answersLocally, ...(backend === undefined ? {} : { backend }) });
}

function perFilter(authn: Partial<ReturnType<typeof authnRoute>>): JsonObject {
  return authn.perFilter === undefined ? {} : { typed_per_filter_config: authn.perFilter };
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

function forwardAction(route: RouteIR, backend: ForwardBackendIR, clusters: ReadonlyMap<string, ClusterIR>, rewrite: JsonObject): JsonObject {
  const cluster = clusters.get(backend.cluster);
  if (cluster === undefined) {
    throw new TranslateError('XDS_TRANSLATE_UNKNOWN_CLUSTER', `${routeName(route)} forwards to unknown cluster ${backend.cluster}`);
  }
  const host = upstreamHost(backend, cluster);
  const retry = retryPolicy(backend.retries, route.method);
  return {
    route: {
      cluster: backend.cluster,
      ...timeouts(backend),
      ...rewrite,
      ...(host === undefined ? {} : { host_rewrite_literal: host }),
      ...(retry === undefined ? {} : { retry_policy: retry }),
    },
  };
}

export function buildRoute(route: RouteIR, context: RouteContext): JsonObject {
  const head = { name: routeName(route) };
  const error = errorFor(route, context);
  const backend = route.backend;
  if (error !== undefined) {
    const authn = authnConfig(route, context, undefined, true);
    return {
      ...head,
      match: { ...pathRouting(route.path, route.match).match, headers: headerMatchers(route) },
      direct_response: { status: error.status },
      ...perFilter(authn),
      metadata: sourceMetadata(route.source, routeFacts(route, context), { [HYGIENE_FILTER]: replyMetadata({ kind: 'error', code: error.code, message: error.message }), ...authn.metadata }),
    };
  }
  const routing = pathRouting(route.path, route.match, backend.kind === 'Forward' ? backend.path : undefined);
  const action = backend.kind === 'Mock' ? mockAction(backend) : forwardAction(route, backend, context.clusters, routing.rewrite);
  const headers = [...(backend.kind === 'Mock' ? mockHeaders(backend) : []), ...corsHeaders(route)];
  const cluster = backend.kind === 'Forward' ? context.clusters.get(backend.cluster) : undefined;
  const host = backend.kind === 'Forward' && cluster !== undefined ? upstreamHost(backend, cluster) : undefined;
  const upstream = backend.kind === 'Forward' ? { rewrite: routing.rewrite, ...(host === undefined ? {} : { host }) } : undefined;
  const authn = authnConfig(route, context, upstream);
  return {
    ...head,
    // Per-route upstream stats (calls, status classes, upstream latency) for routes that have a
    // backend; the bootstrap's stats_tags turn the prefix into Api and environment labels.
    ...(backend.kind === 'Forward' ? { stat_prefix: routeName(route) } : {}),
    match: { ...routing.match, headers: headerMatchers(route) },
    ...action,
    ...(headers.length === 0 ? {} : { response_headers_to_add: headers }),
    ...perFilter(authn),
    metadata: sourceMetadata(route.source, routeFacts(route, context), { ...(backend.kind === 'Mock' ? { [HYGIENE_FILTER]: replyMetadata({ kind: 'mock' }) } : {}), ...authn.metadata }),
  };
}
