// The pieces of HCM local_reply_config mappers that local-reply.ts and the features share:
// one way to write Huawei's body (errors/catalog.ts) and to match a reply.
import { errorBody, type GatewayError } from '../errors/catalog';
import type { JsonObject } from './json';
import { REPLY_HEADER, replyCode } from './lua';

/** Envoy's command operator for the request id the gateway generated (or kept). */
const REQUEST_ID = '%REQ(X-REQUEST-ID)%';

/** A body_format_override writing Huawei's body; `code` and `message` may be command operators too. */
export const bodyFormat = (code: string, message: string, requestId = REQUEST_ID): JsonObject => ({
  json_format: errorBody(code, message, requestId),
});

/** Matches replies with this status (`EQ`) or any status from it on (`GE`). */
export const statusIs = (code: number, op: 'EQ' | 'GE' = 'EQ'): JsonObject => ({
  status_code_filter: { comparison: { op, value: { default_value: code, runtime_key: `turnpike.local_reply.status_${op.toLowerCase()}_${code}` } } },
});

/** Matches replies carrying one of Envoy's response flags. */
export const flagsAre = (flags: readonly string[]): JsonObject => ({ response_flag_filter: { flags } });

/** Replies matching `filter` answer `error`: its status, code and message (the code also for the access log). */
export const answer = (filter: JsonObject, error: GatewayError): JsonObject => ({
  filter,
  status_code: error.status,
  body_format_override: bodyFormat(error.code, error.message),
  ...replyCode(error.code),
});

/**
 * The request is marked as a local reply of `kind`: by the hygiene filter from route metadata
 * (`mock`, `error`; lua.ts), or by the authn filter before it refuses a call (`authn`).
 */
export const replyIs = (kind: 'mock' | 'error' | 'authn'): JsonObject => ({
  header_filter: { header: { name: REPLY_HEADER, string_match: { exact: kind } } },
});
