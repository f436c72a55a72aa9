// Access control (docs/huawei-compatibility.md §8) with Envoy's RBAC filter, twice:
//   turnpike.acl.ip   before authentication: AclPolicy type IP on the client address. For denied
//                     callers no signature is ever checked (403 APIG.0402).
//   turnpike.acl.app  after authentication: AclPolicy type APP on the App authn authenticated
//                     (x-turnpike-app-id, which only authn sets; hygiene strips callers' copies;
//                     403 APIG.0304).
// Both filters are always in the chain with no rules of their own (a no-op); each route an
// AclPolicy covers carries its rules in typed_per_filter_config, so policy changes are route
// updates and never drain a listener. RBAC records its verdict only after its 403 is formatted, so
// their reply mappers tell the two denials apart by the App id header (present only after authn),
// and mocks that an ACL covers answer through mock-reply.ts, whose replies are marked as theirs.
//
// The client address is `remote_ip`: the connection's peer, or with GatewayIR.trustedProxyHops > 0
// the X-Forwarded-For entry that many hops from the right (hcm.ts sets xff_num_trusted_hops).
// Without trusted hops a caller-supplied X-Forwarded-For changes nothing.
import { APP_NOT_AUTHORIZED, IP_DENIED } from '../errors/catalog';
import { APP_ID_HEADER, type AppAclIR, type IpAclIR, type SourceRef } from '../ir';
import type { Feature } from './feature';
import { typed, type JsonObject } from './json';
import { answer, statusIs } from './reply-mappers';
import { policyKey } from './ratelimit';

const IP_ACL_FILTER = 'turnpike.acl.ip';
const APP_ACL_FILTER = 'turnpike.acl.app';

function rbacFilter(name: string, prefix: string): JsonObject {
  return { name, typed_config: typed('envoy.extensions.filters.http.rbac.v3.RBAC', { rules_stat_prefix: prefix }) };
}

/**
 * The IP ACL: a 403 that reaches its mapper is RBAC's (authn's and mocks' replies are marked and
 * matched earlier, nothing else in the chain answers 403), and without the App id header it came
 * before authentication.
 */
export const IP_ACL: Feature = {
  httpFilters: () => [rbacFilter(IP_ACL_FILTER, 'acl_ip_')],
  replyMappers: { refusedOtherwise: [answer(statusIs(403), IP_DENIED)] },
};

/** The App ACL, right after authn: its 403s carry the App id header only authn sets. */
export const APP_ACL: Feature = {
  httpFilters: () => [rbacFilter(APP_ACL_FILTER, 'acl_app_')],
  replyMappers: { refused: [answer({ and_filter: { filters: [statusIs(403), { header_filter: { header: { name: APP_ID_HEADER, present_match: true } } }] } }, APP_NOT_AUTHORIZED)] },
};

function perRoute(source: SourceRef, action: 'ALLOW' | 'DENY', principals: readonly JsonObject[]): JsonObject {
  const policy = { permissions: [{ any: true }], principals };
  return typed('envoy.extensions.filters.http.rbac.v3.RBACPerRoute', { rbac: { rules: { action, policies: { [policyKey(source)]: policy } } } });
}

/** RBACPerRoute of an IP AclPolicy: ALLOW lets only these networks call, DENY refuses them. */
export function ipAclPerRoute(acl: IpAclIR): Record<string, JsonObject> {
  const principals = acl.cidrs.map((cidr) => ({ remote_ip: { address_prefix: cidr.address, prefix_len: cidr.prefixLength } }));
  return { [IP_ACL_FILTER]: perRoute(acl.source, acl.action, principals) };
}

/** RBACPerRoute of an APP AclPolicy; with ALLOW a call without an authenticated App is refused. */
export function appAclPerRoute(acl: AppAclIR): Record<string, JsonObject> {
  const principals = acl.appIds.map((id) => ({ header: { name: APP_ID_HEADER, string_match: { exact: id } } }));
  return { [APP_ACL_FILTER]: perRoute(acl.source, acl.action, principals) };
}
