// Access control (docs/huawei-compatibility.md §8) with Envoy's RBAC filter, twice:
//   turnpike.acl.ip   before authentication: AclPolicy type IP on the client address. For denied
//                     callers no signature is ever checked (403 APIG.0402).
//   turnpike.acl.app  after authentication: AclPolicy type APP on the App authn authenticated
//                     (x-turnpike-app-id, which only authn sets; hygiene strips callers' copies;
//                     403 APIG.0304).
// Both filters are always in the chain with no rules of their own (a no-op); each route an
// AclPolicy covers carries its rules in typed_per_filter_config, so policy changes are route
// updates and never drain a listener. RBAC records its verdict only after its 403 is formatted, so
// policy-replies.ts tells the two denials apart by the App id header (present only after authn),
// and mocks that an ACL covers answer through mock-reply.ts, whose replies are marked as theirs.
//
// The client address is `remote_ip`: the connection's peer, or with GatewayIR.trustedProxyHops > 0
// the X-Forwarded-For entry that many hops from the right (hcm.ts sets xff_num_trusted_hops).
// Without trusted hops a caller-supplied X-Forwarded-For changes nothing.
import { APP_ID_HEADER, type AppAclIR, type IpAclIR, type SourceRef } from '../ir';
import { typed, type JsonObject } from './json';
import { policyKey } from './ratelimit';

const IP_ACL_FILTER = 'turnpike.acl.ip';
const APP_ACL_FILTER = 'turnpike.acl.app';

function rbacFilter(name: string, prefix: string): JsonObject {
  return { name, typed_config: typed('envoy.extensions.filters.http.rbac.v3.RBAC', { rules_stat_prefix: prefix }) };
}

/** Position 3 of http-filters.ts. */
export function ipAclFilter(): JsonObject {
  return rbacFilter(IP_ACL_FILTER, 'acl_ip_');
}

/** Right after authn (position 4b of http-filters.ts). */
export function appAclFilter(): JsonObject {
  return rbacFilter(APP_ACL_FILTER, 'acl_app_');
}

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
