// Replies Envoy generates itself get Huawei's JSON body (docs/huawei-compatibility.md §12):
//   {"error_code":"APIG.xxxx","error_msg":"…","request_id":"<X-Request-Id>"}
// via HCM local_reply_config. Mappers apply only to local replies (never to backend responses)
// and the first match wins, so specific causes (response flags) come before status fallbacks.
// Every error comes from the catalog (errors/catalog.ts).
import {
  API_NOT_FOUND, BACKEND_TIMEOUT, BACKEND_UNAVAILABLE, BAD_REQUEST, ENTITY_TOO_LARGE, HEADERS_TOO_LARGE, INTERNAL_ERROR, NOT_IMPLEMENTED,
  type GatewayError,
} from '../errors/catalog';
import type { JsonObject } from './json';
import type { ReplyStage } from './feature';
import { FEATURES } from './features';
import { ERROR_CODE_HEADER, ERROR_MESSAGE_HEADER, replyCode } from './lua';
import { answer, bodyFormat, flagsAre, replyIs, statusIs } from './reply-mappers';

/** Envoy response flags meaning the backend could not be reached or answered with a reset. */
const UNAVAILABLE_FLAGS = ['UF', 'UH', 'URX', 'UC', 'UR', 'NC', 'UO'];

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
  body_format_override: bodyFormat(error.code, error.message, '%RESP(X-REQUEST-ID)%'),
});

/** Replies matching `filter` keep their status and get `error`'s body. */
const bodyOnly = (filter: JsonObject, error: GatewayError): JsonObject => ({ filter, body_format_override: bodyFormat(error.code, error.message), ...replyCode(error.code) });

/** The mappers the features place at `stage`, in feature order. */
const featureMappers = (stage: ReplyStage): JsonObject[] => FEATURES.flatMap((f) => f.replyMappers?.[stage] ?? []);

export function localReplyConfig(): JsonObject {
  const header = (name: string): string => `%REQ(${name.toUpperCase()})%`;
  return {
    mappers: [
      // The features' own (feature.ts ReplyStage): replies a filter marked as its own (authn's
      // refusals carry Huawei's body already), refusals of limits (also on mock Apis, so before
      // their mappers), mock answers (left exactly as configured).
      ...featureMappers('marked'),
      ...featureMappers('limited'),
      ...featureMappers('mock'),
      // Routes that exist to answer an error (wrong protocol, APP until ext_authz): status from the
      // route's direct_response, code and message from its metadata (copied into headers by Lua).
      { filter: replyIs('error'), body_format_override: bodyFormat(header(ERROR_CODE_HEADER), header(ERROR_MESSAGE_HEADER)), ...replyCode(header(ERROR_CODE_HEADER)) },
      answer(flagsAre(['NR']), API_NOT_FOUND),
      answer(flagsAre(['UT']), BACKEND_TIMEOUT),
      answer(flagsAre(UNAVAILABLE_FLAGS), BACKEND_UNAVAILABLE),
      // ACL denials (rbac.ts): RBAC's 403s, once every flagged cause is ruled out.
      ...featureMappers('refused'),
      ...featureMappers('refusedOtherwise'),
      // Before any request id exists, only the request can be at fault: whatever the status, APIG.0201.
      withoutRequestId(statusIs(431), HEADERS_TOO_LARGE),
      withoutRequestId(statusIs(400, 'GE'), BAD_REQUEST),
      answer(statusIs(431), HEADERS_TOO_LARGE),
      bodyOnly(statusIs(413), ENTITY_TOO_LARGE),
      bodyOnly(statusIs(501), NOT_IMPLEMENTED),
      // A 503 with none of the causes above is the gateway's own failure, not the backend's:
      // Huawei's 500.
      answer(statusIs(503), INTERNAL_ERROR),
      // Anything else Envoy answers on its own keeps its status and gets a Huawei body.
      bodyOnly(statusIs(500, 'GE'), INTERNAL_ERROR),
      bodyOnly(statusIs(400, 'GE'), BAD_REQUEST),
    ],
  };
}
