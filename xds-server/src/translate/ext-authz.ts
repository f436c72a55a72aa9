// Envoy's side of app authentication and backend signing: the ext_authz HTTP filter, the cluster
// that reaches the authz service, and the per-route settings that tell authz what applies.
//
// Fail closed: failure_mode_allow is false, so while authz is unreachable, slow or restarting no
// request of a route that uses it passes (callers get 500 APIG.0601 via local-reply.ts). Routes
// that need neither authentication nor signing disable the filter, so NONE Apis never wait on it.
import type { AuthzServiceIR, RouteIR, SourceRef } from '../ir';
import { duration, typed, type JsonObject } from './json';
import { grpcServiceCluster } from './grpc-cluster';

export const EXT_AUTHZ_FILTER = 'envoy.filters.http.ext_authz';
/** The CDS cluster Envoy reaches authz through. */
export const AUTHZ_CLUSTER = 'turnpike-authz';
/** Huawei's limit on a signed request's body (reference §1.1); bigger bodies get 413. */
export const MAX_SIGNED_BODY_BYTES = 12 * 1024 * 1024;
/** How long Envoy waits for a decision; a 12 MB body must still be hashed within it. */
export const AUTHZ_TIMEOUT_MS = 2_000;
/**
 * ext_authz's status_on_error: authz answers 401, 403 and 500 itself and never 503, so a 503 from
 * the filter means "authz unreachable" and local-reply.ts turns it into Huawei's 500 APIG.0601.
 */
export const AUTHZ_ERROR_STATUS = 503;

/**
 * Keys of CheckRequest.attributes.context_extensions: the contract between this translator and
 * authz (authz/src/check). Values are strings; absent keys mean "not applicable".
 */
export const AuthzContext = {
  /** `<namespace>/<name>` of the Api. */
  api: 'api',
  /** `<namespace>/<name>` of the Api's ApiGroup. */
  group: 'group',
  environment: 'environment',
  /** `APP` (authenticate) or `NONE` (sign only). */
  auth: 'auth',
  /** `true` when X-Apig-AppCode is accepted (HTTPS only). */
  appCode: 'app_code',
  /** `true` on the HTTPS listener: whether the caller's connection is TLS. */
  tls: 'tls',
  /** `<namespace>/<name>` of the SignatureKey the backend request is signed with. */
  signatureKey: 'signature_key',
  /** The Host the backend receives when the route rewrites it (URL backends). */
  backendHost: 'backend_host',
  /** The backend path when the route replaces the whole path (a literal Exact path). */
  backendPath: 'backend_path',
  /** RE2 pattern and substitution of the route's regex_rewrite (authz applies the same rewrite). */
  backendPathRegex: 'backend_path_regex',
  backendPathSubstitution: 'backend_path_substitution',
} as const;

/** The HTTP filter (position 4 of http-filters.ts). */
export function extAuthzFilter(): JsonObject {
  return {
    name: EXT_AUTHZ_FILTER,
    typed_config: typed('envoy.extensions.filters.http.ext_authz.v3.ExtAuthz', {
      grpc_service: { envoy_grpc: { cluster_name: AUTHZ_CLUSTER }, timeout: duration(AUTHZ_TIMEOUT_MS) },
      transport_api_version: 'V3',
      failure_mode_allow: false,
      status_on_error: { code: 'ServiceUnavailable' },
      // The signature covers the body: authz needs all of it, as bytes (not UTF-8 text).
      with_request_body: { max_request_bytes: MAX_SIGNED_BODY_BYTES, allow_partial_message: false, pack_as_bytes: true },
      // authz's answer never changes the route: decisions are made for the route already chosen.
      clear_route_cache: false,
    }),
  };
}

/** The cluster of the authz gRPC service (HTTP/2, keepalives so a dead instance is noticed). */
export function authzCluster(service: AuthzServiceIR, source: SourceRef): JsonObject {
  return grpcServiceCluster(AUTHZ_CLUSTER, service, source);
}

/** Whether a route needs authz: APP authentication, or a backend request to sign. */
export function needsAuthz(route: RouteIR): boolean {
  return route.auth.type === 'APP' || (route.backend.kind === 'Forward' && route.backend.signatureKey !== undefined);
}

function backendPathContext(rewrite: JsonObject): Record<string, string> {
  const prefix = rewrite['prefix_rewrite'];
  if (typeof prefix === 'string') return { [AuthzContext.backendPath]: prefix };
  const regex = rewrite['regex_rewrite'] as { pattern?: { regex?: unknown }; substitution?: unknown } | undefined;
  if (regex === undefined || typeof regex.pattern?.regex !== 'string' || typeof regex.substitution !== 'string') return {};
  return { [AuthzContext.backendPathRegex]: regex.pattern.regex, [AuthzContext.backendPathSubstitution]: regex.substitution };
}

/** What a forwarding route does to the request, as far as backend signing needs to know. */
export interface BackendRequest {
  /** RouteAction rewrite fields (prefix_rewrite or regex_rewrite). */
  readonly rewrite: JsonObject;
  /** host_rewrite_literal, when the route sets one. */
  readonly host?: string;
}

/** What routes.ts knows about a route beyond its IR. */
export interface AuthzRouteFacts {
  /** The route configuration serves the HTTPS listener. */
  readonly tls: boolean;
  /** The ApiGroup whose virtual host holds the route. */
  readonly group: SourceRef;
  /** The forward action's effect on the request; undefined for direct responses. */
  readonly backend?: BackendRequest;
  /** The route answers with a gateway error (wrong protocol): nothing to authenticate. */
  readonly answersLocally?: boolean;
}

function contextExtensions(route: RouteIR, facts: AuthzRouteFacts): Record<string, string> {
  const { source } = route;
  const out: Record<string, string> = {
    [AuthzContext.api]: `${source.namespace}/${source.name}`,
    [AuthzContext.group]: `${facts.group.namespace}/${facts.group.name}`,
    [AuthzContext.environment]: route.environment,
    [AuthzContext.auth]: route.auth.type,
    [AuthzContext.tls]: String(facts.tls),
  };
  if (route.auth.type === 'APP') out[AuthzContext.appCode] = String(route.auth.appCode);
  const key = route.backend.kind === 'Forward' ? route.backend.signatureKey : undefined;
  const backend = facts.backend;
  if (key !== undefined && backend !== undefined) {
    out[AuthzContext.signatureKey] = `${key.namespace}/${key.name}`;
    if (backend.host !== undefined) out[AuthzContext.backendHost] = backend.host;
    Object.assign(out, backendPathContext(backend.rewrite));
  }
  return out;
}

/**
 * Route.typed_per_filter_config: off for routes that need nothing from authz and for routes that
 * answer with a gateway error, else the facts authz decides on (context extensions).
 */
export function extAuthzPerRoute(route: RouteIR, facts: AuthzRouteFacts): JsonObject {
  const type = 'envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute';
  if (facts.answersLocally === true || !needsAuthz(route)) return { [EXT_AUTHZ_FILTER]: typed(type, { disabled: true }) };
  return { [EXT_AUTHZ_FILTER]: typed(type, { check_settings: { context_extensions: contextExtensions(route, facts) } }) };
}
