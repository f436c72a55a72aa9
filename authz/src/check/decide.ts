/**
 * One ext_authz decision, pure: the request Envoy describes, the route's facts (context extensions
 * set by xds-server, never by callers), the current configuration and the clock in; allow with the
 * headers to set, or a Huawei denial, out.
 */
import { APP_ID_HEADER, AuthzContext } from '@turnpike/xds-server';
import type { HeaderLookup } from '@turnpike/sdk';
import type { AppConfig, AuthzConfig } from '../config/model';
import { pathRewrite, rewritePath } from '../sign/rewrite';
import { signBackendRequest, type HeaderChanges } from '../sign/backend';
import { APP_CODE_HEADER, verifyAppCode } from '../verify/appcode';
import { APP_NOT_AUTHORIZED, appAuthFailure, BACKEND_SIGNING_FAILED, type Denial } from '../verify/errors';
import { isGranted } from '../verify/grants';
import { verifySignature } from '../verify/signature';

/**
 * Set on every authenticated request for the filters after ext_authz (App ACLs, rate limits) and
 * the backend, with APP_ID_HEADER (`x-turnpike-app-id: <namespace>/<name>`, xds-server's appId).
 */
export const APP_NAME_HEADER = 'x-turnpike-app-name';

export interface CheckInput {
  readonly method: string;
  /** Path as Envoy routes it (normalised), without the query string. */
  readonly path: string;
  /** Raw query string without `?`. */
  readonly query: string;
  /** Lower-case names; `host` is the request's authority. */
  readonly header: HeaderLookup;
  readonly body: Uint8Array | undefined;
  /** The route's context extensions. */
  readonly context: Readonly<Record<string, string>>;
}

export type Decision =
  | { readonly allow: true; readonly changes: HeaderChanges; readonly app?: AppConfig }
  | { readonly allow: false; readonly denial: Denial };

const NO_CHANGES: HeaderChanges = { set: [], remove: [] };
const deny = (denial: Denial): Decision => ({ allow: false, denial });

type Authenticated = { readonly ok: true; readonly app: AppConfig } | { readonly ok: false; readonly denial: Denial };

function authenticate(input: CheckInput, config: AuthzConfig, nowMs: number): Authenticated {
  const code = input.header(APP_CODE_HEADER);
  // A signature wins when both are present: it is the stronger proof.
  if (code !== undefined && input.header('authorization') === undefined) {
    const enabled = input.context[AuthzContext.appCode] === 'true';
    return verifyAppCode({ code, enabled, tls: input.context[AuthzContext.tls] === 'true' }, (c) => config.appByCode(c));
  }
  const secretOf = (key: string): string | undefined => config.appByKey(key)?.appSecret.reveal();
  const verified = verifySignature(
    { method: input.method, path: input.path, query: input.query, header: input.header, ...(input.body === undefined ? {} : { body: input.body }) },
    secretOf,
    nowMs,
  );
  if (!verified.ok) return verified;
  const app = config.appByKey(verified.appKey);
  return app === undefined ? { ok: false, denial: appAuthFailure(`app not found, appkey ${verified.appKey}`) } : { ok: true, app };
}

function backendSigning(input: CheckInput, config: AuthzConfig, nowMs: number): HeaderChanges | Denial {
  const name = input.context[AuthzContext.signatureKey];
  if (name === undefined) return NO_CHANGES;
  const key = config.signatureKey(name);
  const host = input.context[AuthzContext.backendHost] ?? input.header('host');
  if (key === undefined || host === undefined) return BACKEND_SIGNING_FAILED;
  const c = input.context;
  const path = rewritePath(input.path, pathRewrite(c[AuthzContext.backendPath], c[AuthzContext.backendPathRegex], c[AuthzContext.backendPathSubstitution]));
  return signBackendRequest(key, { method: input.method, host, path, query: input.query, body: input.body }, nowMs);
}

const isDenial = (value: HeaderChanges | Denial): value is Denial => 'code' in value;

function appHeaders(app: AppConfig): (readonly [string, string])[] {
  const slash = app.id.indexOf('/');
  return [[APP_ID_HEADER, app.id], [APP_NAME_HEADER, app.id.slice(slash + 1)]];
}

/** Decides one request. A request without route facts (no route matched) is left to the router. */
export function decide(input: CheckInput, config: AuthzConfig, nowMs: number): Decision {
  const auth = input.context[AuthzContext.auth];
  if (auth === undefined) return { allow: true, changes: NO_CHANGES };
  let app: AppConfig | undefined;
  if (auth !== 'NONE') {
    const authenticated = authenticate(input, config, nowMs);
    if (!authenticated.ok) return deny(authenticated.denial);
    app = authenticated.app;
    const target = { api: input.context[AuthzContext.api] ?? '', group: input.context[AuthzContext.group] ?? '', environment: input.context[AuthzContext.environment] ?? '' };
    if (!isGranted(app.grants, target)) return deny(APP_NOT_AUTHORIZED);
  }
  const signing = backendSigning(input, config, nowMs);
  if (isDenial(signing)) return deny(signing);
  const changes: HeaderChanges = { set: [...(app === undefined ? [] : appHeaders(app)), ...signing.set], remove: signing.remove };
  return app === undefined ? { allow: true, changes } : { allow: true, changes, app };
}
