// Replies Envoy generates itself get Huawei's JSON body (docs/huawei-compatibility.md §12):
//   {"error_code":"APIG.xxxx","error_msg":"…","request_id":"<X-Request-Id>"}
// via HCM local_reply_config. Mappers apply only to local replies (never to backend responses)
// and the first match wins, so specific causes (response flags) come before status fallbacks.
import type { JsonObject } from './json';
import { AUTHN_REPLY_CODE, ERROR_CODE_HEADER, ERROR_MESSAGE_HEADER, REPLY_HEADER, replyCode } from './lua';
import { mockReplyMapper } from './mock-reply';
import { aclReplyMappers, rateLimitReplyMappers } from './policy-replies';

/** A Huawei error: status, code and message (docs/huawei-compatibility.md §12.2). */
export interface GatewayError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

export const API_NOT_FOUND: GatewayError = { status: 404, code: 'APIG.0101', message: 'The API does not exist or has not been published in the environment.' };
export const BACKEND_TIMEOUT: GatewayError = { status: 504, code: 'APIG.0201', message: 'Backend timeout.' };
export const BACKEND_UNAVAILABLE: GatewayError = { status: 502, code: 'APIG.0201', message: 'Backend unavailable.' };
export const HEADERS_TOO_LARGE: GatewayError = { status: 494, code: 'APIG.0201', message: 'Request headers too large.' };
export const ENTITY_TOO_LARGE: GatewayError = { status: 413, code: 'APIG.0201', message: 'Request entity too large.' };
export const BAD_REQUEST: GatewayError = { status: 400, code: 'APIG.0201', message: 'API request error.' };
/** A request the HTTP codec cannot handle (e.g. a transfer coding it does not implement): the request is at fault, not the gateway. */
export const NOT_IMPLEMENTED: GatewayError = { status: 501, code: 'APIG.0201', message: 'API request error.' };
export const INTERNAL_ERROR: GatewayError = { status: 500, code: 'APIG.0601', message: 'Internal server error.' };
/** An Api called on a listener its protocol excludes. */
export const protocolNotSupported = (allowed: 'HTTP' | 'HTTPS'): GatewayError => ({
  status: 400, code: 'APIG.0607', message: `The following protocol is supported: ${allowed}`,
});
/** APP Apis on a gateway without the authn module: fail closed rather than serve them unauthenticated. */
export const APP_AUTH_UNAVAILABLE: GatewayError = {
  status: 401, code: 'APIG.0303', message: 'Incorrect app authentication information: app authentication is not available on this gateway',
};

/** Envoy response flags meaning the backend could not be reached or answered with a reset. */
const UNAVAILABLE_FLAGS = ['UF', 'UH', 'URX', 'UC', 'UR', 'NC', 'UO'];

const body = (code: string, message: string, requestId = '%REQ(X-REQUEST-ID)%'): JsonObject => ({
  json_format: { error_code: code, error_msg: message, request_id: requestId },
});

/**
 * Replies to a request without X-Request-Id: the HTTP codec refused it (400, 426, 431, 501)
 * before Envoy generated an id, so always_set_request_id_in_response has none to set. The reply
 * gets a fresh one (`%UNIQUE_ID%`, a UUID) as X-Request-Id, and the body the same.
 */
const withoutRequestId = (filter: JsonObject, error: GatewayError): JsonObject => ({
  filter: { and_filter: { filters: [{ header_filter: { header: { name: 'x-request-id', present_match: true, invert_match: true } } }, filter] } },
  ...(error.status === HEADERS_TOO_LARGE.status ? { status_code: HEADERS_TOO_LARGE.status } : {}),
  // No reply code for the access log: the codec refused the request before any filter, so the
  // hygiene filter would not remove it from the answer.
  headers_to_add: [{ header: { key: 'x-request-id', value: '%UNIQUE_ID%' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }],
  body_format_override: body(error.code, error.message, '%RESP(X-REQUEST-ID)%'),
});

const flags = (error: GatewayError, responseFlags: readonly string[]): JsonObject => ({
  filter: { response_flag_filter: { flags: responseFlags } },
  status_code: error.status,
  body_format_override: body(error.code, error.message),
  ...replyCode(error.code),
});

/** A status fallback: keeps or sets the status, gives Huawei's body and records the code. */
const fallback = (filter: JsonObject, error: GatewayError, status?: number): JsonObject => ({
  filter,
  ...(status === undefined ? {} : { status_code: status }),
  body_format_override: body(error.code, error.message),
  ...replyCode(error.code),
});

const status = (op: 'EQ' | 'GE', code: number): JsonObject => ({
  status_code_filter: { comparison: { op, value: { default_value: code, runtime_key: `turnpike.local_reply.status_${op.toLowerCase()}_${code}` } } },
});

/**
 * The request is marked as a local reply of `kind`: by the hygiene filter from route metadata
 * (`mock`, `error`; lua.ts), or by the authn filter before it refuses a call (`authn`).
 */
const replyIs = (kind: 'mock' | 'error' | 'authn'): JsonObject => ({
  header_filter: { header: { name: REPLY_HEADER, string_match: { exact: kind } } },
});

export function localReplyConfig(): JsonObject {
  const header = (name: string): string => `%REQ(${name.toUpperCase()})%`;
  return {
    mappers: [
      // The authn filter's refusals already carry Huawei's body (401 APIG.0303, 403 APIG.0304,
      // 413 APIG.0201, 500 APIG.0601 and APIG.0705; authn.ts): the hygiene filter reads the code
      // out of it for the access log.
      { filter: replyIs('authn'), ...replyCode(AUTHN_REPLY_CODE) },
      // Rate limits (policy-replies.ts): also on mock Apis, so before their mappers.
      ...rateLimitReplyMappers(),
      // Mock responses are local replies (direct responses, or the mock filter's for mocks with
      // policies, mock-reply.ts): leave them exactly as configured.
      mockReplyMapper(),
      { filter: replyIs('mock') },
      // Routes that exist to answer an error (wrong protocol, APP until ext_authz): status from the
      // route's direct_response, code and message from its metadata (copied into headers by Lua).
      { filter: replyIs('error'), body_format_override: body(header(ERROR_CODE_HEADER), header(ERROR_MESSAGE_HEADER)), ...replyCode(header(ERROR_CODE_HEADER)) },
      flags(API_NOT_FOUND, ['NR']),
      flags(BACKEND_TIMEOUT, ['UT']),
      flags(BACKEND_UNAVAILABLE, UNAVAILABLE_FLAGS),
      // ACL denials (policy-replies.ts): RBAC's 403s, once every flagged cause is ruled out.
      ...aclReplyMappers(),
      // Before any request id exists, only the request can be at fault: whatever the status, APIG.0201.
      withoutRequestId(status('EQ', 431), HEADERS_TOO_LARGE),
      withoutRequestId(status('GE', 400), BAD_REQUEST),
      fallback(status('EQ', 431), HEADERS_TOO_LARGE, HEADERS_TOO_LARGE.status),
      fallback(status('EQ', 413), ENTITY_TOO_LARGE),
      fallback(status('EQ', 501), NOT_IMPLEMENTED),
      // A 503 with none of the causes above is the gateway's own failure (the authn filter's VM
      // trapped: authn.ts), not the backend's: Huawei's 500.
      fallback(status('EQ', 503), INTERNAL_ERROR, INTERNAL_ERROR.status),
      // Anything else Envoy answers on its own keeps its status and gets a Huawei body.
      fallback(status('GE', 500), INTERNAL_ERROR),
      fallback(status('GE', 400), BAD_REQUEST),
    ],
  };
}
