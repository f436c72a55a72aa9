// Huawei's answers to refused calls (docs/huawei-compatibility.md §3, §7, §8, §12), as local_reply_config mappers
// that local-reply.ts places around its own:
//   before the mock mappers (rate limits apply to mock Apis too; mock-reply.ts marks real mock answers)
//     App quota used up (quota filter, status 405)   405 APIG.0501
//     any other rate limit (response flag RL)        429 APIG.0308
//     rate-limit service unreachable, FailClosed     500 APIG.0601 (response flag RLSE)
//   after every cause with a flag, before the status fallbacks
//     403 after authentication (App ACL, RBAC)       403 APIG.0304
//     403 before it (IP ACL, RBAC)                   403 APIG.0402
// A 403 that reaches the last two is RBAC's: authn's replies carry its mark and mocks' theirs (both
// matched earlier), and nothing else in the chain answers 403.
import { APP_ID_HEADER } from '../ir';
import type { JsonObject } from './json';
import type { GatewayError } from './local-reply';
import { replyCode } from './lua';

export const IP_DENIED: GatewayError = { status: 403, code: 'APIG.0402', message: 'The IP address is not authorized to access the API.' };
export const APP_DENIED: GatewayError = { status: 403, code: 'APIG.0304', message: 'The app is not authorized to access the API.' };
export const THROTTLED: GatewayError = { status: 429, code: 'APIG.0308', message: 'The throttling threshold has been reached.' };
export const QUOTA_USED_UP: GatewayError = { status: 405, code: 'APIG.0501', message: 'The app quota has been used up.' };
export const RATE_LIMIT_UNAVAILABLE: GatewayError = { status: 500, code: 'APIG.0601', message: 'Internal server error.' };

function mapper(filter: JsonObject, error: GatewayError): JsonObject {
  return {
    filter,
    status_code: error.status,
    body_format_override: { json_format: { error_code: error.code, error_msg: error.message, request_id: '%REQ(X-REQUEST-ID)%' } },
    ...replyCode(error.code),
  };
}

const flag = (name: string): JsonObject => ({ response_flag_filter: { flags: [name] } });
const statusIs = (code: number): JsonObject => ({
  status_code_filter: { comparison: { op: 'EQ', value: { default_value: code, runtime_key: `turnpike.local_reply.status_eq_${code}` } } },
});

/** Rate-limit answers: before the mock mappers. */
export function rateLimitReplyMappers(): JsonObject[] {
  return [
    mapper({ and_filter: { filters: [flag('RL'), statusIs(QUOTA_USED_UP.status)] } }, QUOTA_USED_UP),
    mapper(flag('RL'), THROTTLED),
    mapper(flag('RLSE'), RATE_LIMIT_UNAVAILABLE),
  ];
}

/** ACL denials: after every mapper of a more specific cause, before the status fallbacks. */
export function aclReplyMappers(): JsonObject[] {
  const authenticated = { header_filter: { header: { name: APP_ID_HEADER, present_match: true } } };
  return [
    mapper({ and_filter: { filters: [statusIs(403), authenticated] } }, APP_DENIED),
    mapper(statusIs(403), IP_DENIED),
  ];
}
