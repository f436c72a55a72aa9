// Huawei's answers to refused calls (docs/huawei-compatibility.md §3, §7, §8, §12), as local_reply_config mappers
// that local-reply.ts places around its own:
//   before the mock mappers (rate limits apply to mock Apis too; mock-reply.ts marks real mock answers)
//     App quota used up (quota filter, status 405)   405 APIG.0501
//     any other rate limit (response flag RL)        429 APIG.0308
//     a Fast limit (Envoy's local rate limit: 429,   429 APIG.0308
//       flagged only after its reply is formatted;
//       not a mock Api's own 429, which is marked)
//     rate-limit service unreachable, FailClosed     500 APIG.0601 (response flag RLSE)
//   after every cause with a flag, before the status fallbacks
//     403 after authentication (App ACL, RBAC)       403 APIG.0304
//     403 before it (IP ACL, RBAC)                   403 APIG.0402
// A 403 that reaches the last two is RBAC's: authn's replies carry its mark and mocks' theirs (both
// matched earlier), and nothing else in the chain answers 403.
import { APP_NOT_AUTHORIZED, INTERNAL_ERROR, IP_DENIED, QUOTA_USED_UP, THROTTLED } from '../errors/catalog';
import { APP_ID_HEADER } from '../ir';
import type { JsonObject } from './json';
import { REPLY_HEADER } from './lua';
import { answer, flagsAre, statusIs } from './reply-mappers';

/** Rate-limit answers: before the mock mappers. */
export function rateLimitReplyMappers(): JsonObject[] {
  return [
    answer({ and_filter: { filters: [flagsAre(['RL']), statusIs(QUOTA_USED_UP.status)] } }, QUOTA_USED_UP),
    answer(flagsAre(['RL']), THROTTLED),
    answer({ and_filter: { filters: [statusIs(THROTTLED.status), { header_filter: { header: { name: REPLY_HEADER, present_match: true, invert_match: true } } }] } }, THROTTLED),
    // A FailClosed ThrottlePolicy whose rate-limit service cannot answer.
    answer(flagsAre(['RLSE']), INTERNAL_ERROR),
  ];
}

/** ACL denials: after every mapper of a more specific cause, before the status fallbacks. */
export function aclReplyMappers(): JsonObject[] {
  const authenticated = { header_filter: { header: { name: APP_ID_HEADER, present_match: true } } };
  return [
    answer({ and_filter: { filters: [statusIs(403), authenticated] } }, APP_NOT_AUTHORIZED),
    answer(statusIs(403), IP_DENIED),
  ];
}
