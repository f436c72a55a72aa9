// Every Huawei APIG error the gateway answers (docs/huawei-compatibility.md §12), in one place.
// The Envoy translation builds its local replies from these entries (translate/local-reply.ts,
// the features' reply mappers, translate/routes.ts); the authn filter (dataplane/apig-auth/src/
// errors.rs) cannot import them, so dataplane.test.ts checks its codes against this file, and
// docs/reference/errors.md is generated from it (reference-doc.ts).

/** What a caller sees: the status, and the code and message of Huawei's body. */
export interface GatewayError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** Which part of the gateway answers with an error. */
export type Responder = 'Envoy' | 'authn filter';

export interface CatalogEntry extends GatewayError {
  /** When callers get it, in a platform user's words. */
  readonly when: string;
  readonly answeredBy: readonly Responder[];
}

/** Message placeholders, filled in per call: `{detail}` says why, `{protocol}` names the allowed one. */
const AUTH_FAILED = 'Incorrect app authentication information: {detail}';
const WRONG_PROTOCOL = 'The following protocol is supported: {protocol}';

export const API_NOT_FOUND = {
  status: 404, code: 'APIG.0101', message: 'The API does not exist or has not been published in the environment.',
  when: 'No Api of the group matches the host, method, path and environment (`X-Stage`, `RELEASE` when absent).', answeredBy: ['Envoy'],
} as const satisfies CatalogEntry;
export const BAD_REQUEST = {
  status: 400, code: 'APIG.0201', message: 'API request error.',
  when: 'The request is malformed (Envoy refuses it before routing, e.g. a header without a name or HTTP/1.0, which keeps its status 426); any other client error Envoy answers itself.',
  answeredBy: ['Envoy'],
} as const satisfies CatalogEntry;
export const ENTITY_TOO_LARGE = {
  status: 413, code: 'APIG.0201', message: 'Request entity too large.',
  when: 'The body is larger than the gateway buffers: 12 MiB for a signed request.', answeredBy: ['Envoy', 'authn filter'],
} as const satisfies CatalogEntry;
export const HEADERS_TOO_LARGE = {
  status: 494, code: 'APIG.0201', message: 'Request headers too large.',
  when: 'The request headers are larger than Envoy accepts.', answeredBy: ['Envoy'],
} as const satisfies CatalogEntry;
/** A request the HTTP codec cannot handle (e.g. a transfer coding it does not implement): the request is at fault, not the gateway. */
export const NOT_IMPLEMENTED = {
  status: 501, code: 'APIG.0201', message: 'API request error.',
  when: 'The request uses something the gateway does not implement, such as an unknown transfer coding.', answeredBy: ['Envoy'],
} as const satisfies CatalogEntry;
export const BACKEND_UNAVAILABLE = {
  status: 502, code: 'APIG.0201', message: 'Backend unavailable.',
  when: 'The backend cannot be reached, refuses the connection or resets it.', answeredBy: ['Envoy'],
} as const satisfies CatalogEntry;
export const BACKEND_TIMEOUT = {
  status: 504, code: 'APIG.0201', message: 'Backend timeout.',
  when: "The backend did not answer within the Api's `backend.timeoutMs`.", answeredBy: ['Envoy'],
} as const satisfies CatalogEntry;
export const APP_AUTH_FAILED = {
  status: 401, code: 'APIG.0303', message: AUTH_FAILED,
  when: 'An APP Api is called without valid credentials: unknown AppKey or AppCode, wrong or expired signature, missing or malformed signing headers, AppCode where it is not allowed; also every call of an APP Api on a gateway without the authn filter (`{detail}`: `app authentication is not available on this gateway`).',
  answeredBy: ['Envoy', 'authn filter'],
} as const satisfies CatalogEntry;
export const APP_NOT_AUTHORIZED = {
  status: 403, code: 'APIG.0304', message: 'The app is not authorized to access the API.',
  when: 'The App is not granted the Api in that environment, or an APP AclPolicy denies it.', answeredBy: ['Envoy', 'authn filter'],
} as const satisfies CatalogEntry;
export const THROTTLED = {
  status: 429, code: 'APIG.0308', message: 'The throttling threshold has been reached.',
  when: "A ThrottlePolicy limit (per Api, App or client IP; Fast or Exact), the default limit per Api, or the default subdomain's 1,000 calls a day is used up.", answeredBy: ['Envoy'],
} as const satisfies CatalogEntry;
export const IP_DENIED = {
  status: 403, code: 'APIG.0402', message: 'The IP address is not authorized to access the API.',
  when: 'An IP AclPolicy refuses the client address.', answeredBy: ['Envoy'],
} as const satisfies CatalogEntry;
export const QUOTA_USED_UP = {
  status: 405, code: 'APIG.0501', message: 'The app quota has been used up.',
  when: "The calling App's quota is used up.", answeredBy: ['Envoy'],
} as const satisfies CatalogEntry;
export const INTERNAL_ERROR = {
  status: 500, code: 'APIG.0601', message: 'Internal server error.',
  when: 'The gateway itself failed: the authn filter has no usable configuration or crashed, a FailClosed ThrottlePolicy cannot reach the rate-limit service, or any other server error Envoy answers itself (which keeps its status).',
  answeredBy: ['Envoy', 'authn filter'],
} as const satisfies CatalogEntry;
export const PROTOCOL_NOT_SUPPORTED = {
  status: 400, code: 'APIG.0607', message: WRONG_PROTOCOL,
  when: "An Api is called over HTTP when its `protocol` is HTTPS, or the other way round (`{protocol}`: the one it allows).", answeredBy: ['Envoy'],
} as const satisfies CatalogEntry;
export const BACKEND_SIGNING_FAILED = {
  status: 500, code: 'APIG.0705', message: 'Backend signature calculation failed.',
  when: "The Api's SignatureKey is not usable, or the gateway runs without the authn module, so the request to the backend cannot be signed.", answeredBy: ['authn filter', 'Envoy'],
} as const satisfies CatalogEntry;

/** The catalog, by code then status. */
export const CATALOG: readonly CatalogEntry[] = [
  API_NOT_FOUND, BAD_REQUEST, ENTITY_TOO_LARGE, HEADERS_TOO_LARGE, NOT_IMPLEMENTED, BACKEND_UNAVAILABLE, BACKEND_TIMEOUT,
  APP_AUTH_FAILED, APP_NOT_AUTHORIZED, THROTTLED, IP_DENIED, QUOTA_USED_UP, INTERNAL_ERROR, PROTOCOL_NOT_SUPPORTED, BACKEND_SIGNING_FAILED,
];

/** `entry` with its message's placeholders filled in. */
export function withMessage(entry: GatewayError, values: Readonly<Record<string, string>>): GatewayError {
  const message = entry.message.replace(/\{(\w+)\}/g, (placeholder, name: string) => values[name] ?? placeholder);
  return { status: entry.status, code: entry.code, message };
}

/** An APP Api called where nothing can verify its credentials: fail closed rather than serve it unauthenticated. */
export const APP_AUTH_UNAVAILABLE = withMessage(APP_AUTH_FAILED, { detail: 'app authentication is not available on this gateway' });

/** An Api called on a listener its protocol excludes. */
export const protocolNotSupported = (allowed: 'HTTP' | 'HTTPS'): GatewayError => withMessage(PROTOCOL_NOT_SUPPORTED, { protocol: allowed });

/** Huawei's error body (§12.1); Envoy fills in the request id from a command operator such as `%REQ(X-REQUEST-ID)%`. */
export function errorBody(code: string, message: string, requestId: string): { error_code: string; error_msg: string; request_id: string } {
  return { error_code: code, error_msg: message, request_id: requestId };
}
