// Huawei's answers to refused calls (reference §3, §7, §8, §12), as local_reply_config mappers
// (local-reply.ts places them before its status fallbacks):
//   IP ACL denial (RBAC turnpike.acl.ip)           403 APIG.0402
//   App ACL denial (RBAC turnpike.acl.app)         403 APIG.0304
//   App quota used up (quota filter, status 405)   405 APIG.0501
//   any other rate limit (response flag RL)        429 APIG.0308
//   rate-limit service unreachable, FailClosed     500 APIG.0601 (response flag RLSE)
import type { JsonObject } from './json';
import type { GatewayError } from './local-reply';
import { APP_ACL_PREFIX, IP_ACL_PREFIX, RBAC_METADATA_NAMESPACE, verdictKey } from './rbac';

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
  };
}

/** The ACL filter pair with this metadata prefix denied the call (rbac.ts). */
function rbacDenied(prefix: string): JsonObject {
  return {
    metadata_filter: {
      matcher: { filter: RBAC_METADATA_NAMESPACE, path: [{ key: verdictKey(prefix) }], value: { string_match: { exact: 'denied' } } },
      // Unset means true: a call the filter never saw would count as denied.
      match_if_key_not_found: false,
    },
  };
}

const flag = (name: string): JsonObject => ({ response_flag_filter: { flags: [name] } });
const statusIs = (code: number): JsonObject => ({
  status_code_filter: { comparison: { op: 'EQ', value: { default_value: code, runtime_key: `turnpike.local_reply.status_eq_${code}` } } },
});

export function policyReplyMappers(): JsonObject[] {
  return [
    mapper(rbacDenied(IP_ACL_PREFIX), IP_DENIED),
    mapper(rbacDenied(APP_ACL_PREFIX), APP_DENIED),
    mapper({ and_filter: { filters: [flag('RL'), statusIs(QUOTA_USED_UP.status)] } }, QUOTA_USED_UP),
    mapper(flag('RL'), THROTTLED),
    mapper(flag('RLSE'), RATE_LIMIT_UNAVAILABLE),
  ];
}
