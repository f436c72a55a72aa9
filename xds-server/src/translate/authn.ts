// App authentication and backend signing inside Envoy: the turnpike.authn HTTP filter, a native
// dynamic module built from dataplane/authn-module (its contract: dataplane/README.md).
//
//   - The filter's configuration (Apps, grants, AppCodes, signature keys) is one ECDS resource,
//     so an App change or an AppSecret reset reaches every Envoy without touching a listener.
//   - What applies to a route (its Api, group, environment, APP or NONE, AppCode, SignatureKey,
//     backend Host and path rewrite) is route metadata under the filter's name.
//   - Routes that need neither authentication nor signing disable the filter.
//   - Fail closed: a module that cannot load or fails answers 500 APIG.0601 (local-reply.ts);
//     the filter's own refusals carry Huawei's body and pass the local-reply mappers untouched.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { type AppIR, type AuthnModuleIR, type AuthzIR, type GrantIR, type RouteIR, type SignatureKeyIR, type SourceRef } from '../ir';
import type { Feature } from './feature';
import { byString, stringField, typed, type JsonObject } from './json';
import { AUTHN_REPLY_CODE, replyCode } from './lua';
import { redactResource } from './redact';
import { replyIs } from './reply-mappers';

/** The HTTP filter's name, which is also its ECDS resource name and its route metadata namespace. */
export const AUTHN_FILTER = 'turnpike.authn';
const MODULE_FILTER_TYPE = 'envoy.extensions.filters.http.dynamic_modules.v3.DynamicModuleFilter';
/** Huawei's limit on a signed request's body (docs/huawei-compatibility.md §1.1); bigger bodies get 413 APIG.0201. */
export const MAX_SIGNED_BODY_BYTES = 12 * 1024 * 1024;

/** Keys of the route facts (route metadata under AUTHN_FILTER, string values): the filter's input. */
export const AuthnFacts = {
  /** `<namespace>/<name>` of the Api. */
  api: 'api',
  /** `<namespace>/<name>` of the Api's ApiGroup. */
  group: 'group',
  environment: 'environment',
  /** `APP` (authenticate) or `NONE` (sign only). */
  auth: 'auth',
  /** `true` when X-Apig-AppCode is accepted (HTTPS only: the filter reads TLS from `:scheme`, which each listener sets). */
  appCode: 'app_code',
  /** `<namespace>/<name>` of the SignatureKey the backend request is signed with. */
  signatureKey: 'signature_key',
  /** The Host the backend receives when the route rewrites it (URL backends). */
  backendHost: 'backend_host',
  /** The backend path when the route replaces the whole path (a literal Exact path). */
  backendPath: 'backend_path',
  /** RE2 pattern and substitution of the route's regex_rewrite (the filter applies the same rewrite). */
  backendPathRegex: 'backend_path_regex',
  backendPathSubstitution: 'backend_path_substitution',
} as const;

const BUFFER_FILTER = 'envoy.filters.http.buffer';

/**
 * The HCM's filter entries. The module does not raise a stream's buffer limit above the
 * listener's (1 MiB), so Envoy's buffer filter, off unless a route turns it on, raises it to the
 * signed-body limit on the routes the filter serves and answers a larger body with 413
 * (APIG.0201, local-reply.ts). The filter's own configuration comes over ECDS.
 */
function authnFilters(): JsonObject[] {
  return [
    { name: BUFFER_FILTER, typed_config: typed('envoy.extensions.filters.http.buffer.v3.Buffer', { max_request_bytes: MAX_SIGNED_BODY_BYTES }), disabled: true },
    {
      name: AUTHN_FILTER,
      config_discovery: {
        config_source: { ads: {}, resource_api_version: 'V3' },
        type_urls: [`type.googleapis.com/${MODULE_FILTER_TYPE}`],
      },
    },
  ];
}

const nameOf = (source: SourceRef): string => `${source.namespace}/${source.name}`;

function grant(g: GrantIR): JsonObject {
  return { kind: g.kind === 'Api' ? 'API' : 'API_GROUP', target: nameOf(g.target), environments: [...g.environments].sort(byString) };
}

function app(a: AppIR): JsonObject {
  const grants = a.grants.map(grant).sort((x, y) => byString(JSON.stringify(x), JSON.stringify(y)));
  return { id: nameOf(a.source), app_key: a.appKey, app_secret: a.appSecret.reveal(), app_codes: a.appCodes.map((code) => code.reveal()), grants };
}

function signatureKey(k: SignatureKeyIR): JsonObject {
  return { name: nameOf(k.source), type: k.type, key: k.key, secret: k.secret.reveal() };
}

const byId = (field: string) => (a: JsonObject, b: JsonObject): number => byString(stringField(a, field), stringField(b, field));

/** The filter's configuration (dataplane/README.md): what the module parses when Envoy creates the filter. */
function moduleConfiguration(authz: AuthzIR): JsonObject {
  return {
    max_body_bytes: MAX_SIGNED_BODY_BYTES,
    apps: authz.apps.map(app).sort(byId('id')),
    signature_keys: authz.signatureKeys.map(signatureKey).sort(byId('name')),
  };
}

/** The module name Envoy loads `lib<name>.so` by; the operator's configuration checked the form. */
export function moduleName(module: AuthnModuleIR): string {
  return path.basename(module.path).replace(/^lib/, '').replace(/\.so$/, '');
}

/**
 * The ECDS resource (envoy.config.core.v3.TypedExtensionConfig) of the filter. A configuration the
 * module refuses (or a module Envoy cannot load) is NACKed and the previous one stays; an Envoy
 * that never had one answers the filter's routes 500 APIG.0601 (local-reply.ts).
 */
export function authnExtensionConfig(authz: AuthzIR, module: AuthnModuleIR): JsonObject {
  return {
    name: AUTHN_FILTER,
    typed_config: typed(MODULE_FILTER_TYPE, {
      dynamic_module_config: { name: moduleName(module) },
      filter_name: AUTHN_FILTER,
      filter_config: typed('google.protobuf.StringValue', { value: JSON.stringify(moduleConfiguration(authz)) }),
    }),
  };
}

/** The extension config with every secret of the module's configuration replaced by `[redacted]`. */
export function redactAuthnConfig(resource: JsonObject): JsonObject {
  const filter = resource['typed_config'] as JsonObject;
  const config = filter['filter_config'] as JsonObject;
  const redacted = redactResource(JSON.parse(stringField(config, 'value')) as JsonObject);
  return { ...resource, typed_config: { ...filter, filter_config: { ...config, value: JSON.stringify(redacted) } } };
}

/** Whether a route needs the filter: APP authentication, or a backend request to sign. */
export function needsAuthn(route: RouteIR): boolean {
  return route.auth.type === 'APP' || (route.backend.kind === 'Forward' && route.backend.signatureKey !== undefined);
}

/** What a forwarding route does to the request, as far as backend signing needs to know. */
export interface BackendRequest {
  /** RouteAction rewrite fields (prefix_rewrite or regex_rewrite). */
  readonly rewrite: JsonObject;
  /** host_rewrite_literal, when the route sets one. */
  readonly host?: string;
}

/** What routes.ts knows about a route beyond its IR. */
export interface AuthnRouteFacts {
  /** The ApiGroup whose virtual host holds the route. */
  readonly group: SourceRef;
  /** The forward action's effect on the request; undefined for direct responses. */
  readonly backend?: BackendRequest;
  /** The route answers with a gateway error (wrong protocol): nothing to authenticate. */
  readonly answersLocally?: boolean;
}

function backendPathFacts(rewrite: JsonObject): Record<string, string> {
  const prefix = rewrite['prefix_rewrite'];
  if (typeof prefix === 'string') return { [AuthnFacts.backendPath]: prefix };
  const regex = rewrite['regex_rewrite'] as { pattern?: { regex?: unknown }; substitution?: unknown } | undefined;
  if (regex === undefined || typeof regex.pattern?.regex !== 'string' || typeof regex.substitution !== 'string') return {};
  return { [AuthnFacts.backendPathRegex]: regex.pattern.regex, [AuthnFacts.backendPathSubstitution]: regex.substitution };
}

function routeFacts(route: RouteIR, facts: AuthnRouteFacts): Record<string, string> {
  const out: Record<string, string> = {
    [AuthnFacts.api]: nameOf(route.source),
    [AuthnFacts.group]: nameOf(facts.group),
    [AuthnFacts.environment]: route.environment,
    [AuthnFacts.auth]: route.auth.type,
  };
  if (route.auth.type === 'APP') out[AuthnFacts.appCode] = String(route.auth.appCode);
  const key = route.backend.kind === 'Forward' ? route.backend.signatureKey : undefined;
  const backend = facts.backend;
  if (key !== undefined && backend !== undefined) {
    out[AuthnFacts.signatureKey] = nameOf(key);
    if (backend.host !== undefined) out[AuthnFacts.backendHost] = backend.host;
    Object.assign(out, backendPathFacts(backend.rewrite));
  }
  return out;
}

const DISABLED: JsonObject = { [AUTHN_FILTER]: typed('envoy.config.route.v3.FilterConfig', { disabled: true }) };
const BUFFERED: JsonObject = {
  [BUFFER_FILTER]: typed('envoy.extensions.filters.http.buffer.v3.BufferPerRoute', { buffer: { max_request_bytes: MAX_SIGNED_BODY_BYTES } }),
};

/**
 * A route's side of the filter (typed_per_filter_config, route metadata): off for routes that need
 * nothing from it and for routes that answer with a gateway error; else bodies buffered up to the
 * signed-body limit and the facts it decides on.
 */
export function authnRoute(route: RouteIR, facts: AuthnRouteFacts): { readonly perFilter: JsonObject; readonly metadata?: JsonObject; readonly nameSuffix?: string } {
  if (facts.answersLocally === true || !needsAuthn(route)) return { perFilter: DISABLED };
  const values = routeFacts(route, facts);
  return { perFilter: BUFFERED, metadata: { [AUTHN_FILTER]: values }, nameSuffix: factsDigest(values) };
}

/**
 * `#` and a digest of the facts, appended to the route's name: the filter caches parsed facts by
 * route name, which Envoy hands out for less than the metadata, and a route whose facts change
 * is renamed so that no Envoy serves it stale facts (dataplane/README.md).
 */
function factsDigest(values: Readonly<Record<string, string>>): string {
  const canonical = JSON.stringify(Object.keys(values).sort().map((key) => [key, values[key]]));
  return `#${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
}

/**
 * App authentication and backend signing, with an authn module: the filters, the module's
 * configuration over ECDS, and its refusals, which carry Huawei's body already (401 APIG.0303,
 * 403 APIG.0304, 413 APIG.0201, 500 APIG.0601 and APIG.0705) and are marked as its own.
 */
export const AUTHN: Feature = {
  httpFilters: (ir) => (ir.authz?.module === undefined ? [] : authnFilters()),
  extensionConfigs: (ir) => (ir.authz?.module === undefined ? [] : [authnExtensionConfig(ir.authz, ir.authz.module)]),
  replyMappers: { marked: [{ filter: replyIs('authn'), ...replyCode(AUTHN_REPLY_CODE) }] },
};
