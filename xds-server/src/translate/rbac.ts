// Access control (reference §8) with Envoy's RBAC filter, in two places:
//   turnpike.acl.ip   before authentication: AclPolicy type IP on the client address. Denied
//                     callers never reach authz (403 APIG.0402).
//   turnpike.acl.app  after authentication: AclPolicy type APP on the App authz authenticated
//                     (x-turnpike-app-id, which only authz sets; hygiene strips callers' copies).
// Each is a pair of filters: RBAC evaluates the route's rules as *shadow* rules, which records
// `<prefix>shadow_engine_result` (`allowed`/`denied`) in the dynamic metadata namespace
// `envoy.filters.http.rbac` and lets the call on; then a few lines of Lua refuse it when denied.
// Enforced RBAC rules would refuse by themselves, but they record their verdict only after the
// 403 is formatted, so local-reply mappers could not tell an ACL denial from a mock Api that
// answers 403; with the verdict recorded first, policy-replies.ts can give it Huawei's body.
// Both filters are always in the chain and do nothing by themselves; each route an AclPolicy
// covers carries its rules and turns its Lua on in typed_per_filter_config, so policy changes are
// route updates and never drain a listener.
//
// The client address is `remote_ip`: the connection's peer, or with GatewayIR.trustedProxyHops > 0
// the X-Forwarded-For entry that many hops from the right (hcm.ts sets xff_num_trusted_hops).
// Without trusted hops a caller-supplied X-Forwarded-For changes nothing.
import { APP_ID_HEADER, type AppAclIR, type IpAclIR, type SourceRef } from '../ir';
import { typed, type JsonObject } from './json';
import { policyKey } from './ratelimit';

export const IP_ACL_FILTER = 'turnpike.acl.ip';
export const APP_ACL_FILTER = 'turnpike.acl.app';
const ENFORCE = '.enforce';

/** Where RBAC records its verdicts, and the prefixes that keep the two filters' verdicts apart. */
export const RBAC_METADATA_NAMESPACE = 'envoy.filters.http.rbac';
export const IP_ACL_PREFIX = 'acl_ip_';
export const APP_ACL_PREFIX = 'acl_app_';

/** The metadata key holding a filter's verdict. */
export function verdictKey(prefix: string): string {
  return `${prefix}shadow_engine_result`;
}

/** Named Lua source the routes switch on (LuaPerRoute.name). */
const ENFORCE_SOURCE = 'enforce';

function enforceLua(prefix: string): string {
  return `
function envoy_on_request(handle)
  local rbac = handle:streamInfo():dynamicMetadata():get("${RBAC_METADATA_NAMESPACE}")
  if rbac ~= nil and rbac["${verdictKey(prefix)}"] == "denied" then
    handle:respond({ [":status"] = "403" }, "")
  end
end
`;
}

function aclFilters(name: string, prefix: string): JsonObject[] {
  return [
    { name, typed_config: typed('envoy.extensions.filters.http.rbac.v3.RBAC', { shadow_rules_stat_prefix: prefix }) },
    // No default source: the filter runs nothing unless the route names the enforce source.
    { name: `${name}${ENFORCE}`, typed_config: typed('envoy.extensions.filters.http.lua.v3.Lua', { source_codes: { [ENFORCE_SOURCE]: { inline_string: enforceLua(prefix) } } }) },
  ];
}

/** Position 3 of http-filters.ts. */
export function ipAclFilters(): JsonObject[] {
  return aclFilters(IP_ACL_FILTER, IP_ACL_PREFIX);
}

/** Right after ext_authz (position 4b of http-filters.ts). */
export function appAclFilters(): JsonObject[] {
  return aclFilters(APP_ACL_FILTER, APP_ACL_PREFIX);
}

function perRoute(filter: string, source: SourceRef, action: 'ALLOW' | 'DENY', principals: readonly JsonObject[]): Record<string, JsonObject> {
  const policy = { permissions: [{ any: true }], principals };
  const rules = { action, policies: { [policyKey(source)]: policy } };
  return {
    [filter]: typed('envoy.extensions.filters.http.rbac.v3.RBACPerRoute', { rbac: { shadow_rules: rules } }),
    [`${filter}${ENFORCE}`]: typed('envoy.extensions.filters.http.lua.v3.LuaPerRoute', { name: ENFORCE_SOURCE }),
  };
}

/** typed_per_filter_config entries of an IP AclPolicy: ALLOW lets only these networks call, DENY refuses them. */
export function ipAclPerRoute(acl: IpAclIR): Record<string, JsonObject> {
  const principals = acl.cidrs.map((cidr) => ({ remote_ip: { address_prefix: cidr.address, prefix_len: cidr.prefixLength } }));
  return perRoute(IP_ACL_FILTER, acl.source, acl.action, principals);
}

/** typed_per_filter_config entries of an APP AclPolicy; with ALLOW a call without an authenticated App is refused. */
export function appAclPerRoute(acl: AppAclIR): Record<string, JsonObject> {
  const principals = acl.appIds.map((id) => ({ header: { name: APP_ID_HEADER, string_match: { exact: id } } }));
  return perRoute(APP_ACL_FILTER, acl.source, acl.action, principals);
}
