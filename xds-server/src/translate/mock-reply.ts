// Mock Apis under policies. A mock is a direct_response route, which has two problems with
// policies: Envoy's rate-limit filter skips routes without a route entry (direct responses have
// none), so a throttled mock would never be throttled; and the hygiene filter marks a direct
// response's request as a mock reply before any filter runs, so an ACL's 403 on it would pass for
// the mock's own answer. So a mock with policies forwards instead, to `turnpike-mock` (a cluster
// with no endpoints that is never reached), and the last filter before the router, `turnpike.mock`,
// answers with the mock's status, headers and body from the route's metadata, marking its reply
// in the dynamic metadata first; local-reply.ts leaves marked replies as configured. Mocks without
// policies stay direct responses.
import type { GatewayIR, MockBackendIR, RouteIR, SourceRef } from '../ir';
import { corsHeaderPairs } from './cors';
import type { Feature } from './feature';
import { typed, type JsonObject } from './json';
import { METADATA_NAMESPACE, sourceMetadata } from './metadata';
import { perGroup } from './per-group';
import { replyIs } from './reply-mappers';

const MOCK_FILTER = 'turnpike.mock';
const MOCK_CLUSTER = 'turnpike-mock';

/** The dynamic-metadata key (namespace METADATA_NAMESPACE) marking the mock filter's replies. */
const MOCK_REPLY_KEY = 'mock_reply';
/** LuaPerRoute.name of the mock answer. */
const REPLY_SOURCE = 'reply';

const MOCK_LUA = `
function envoy_on_request(handle)
  local mock = handle:metadata()
  local status = mock:get("status")
  if status == nil then return end
  handle:streamInfo():dynamicMetadata():set("${METADATA_NAMESPACE}", "${MOCK_REPLY_KEY}", true)
  local headers = { [":status"] = status }
  local given = mock:get("headers")
  if given ~= nil then
    for name, value in pairs(given) do headers[name] = value end
  end
  if headers["content-type"] == nil and mock:get("body") ~= "" then headers["content-type"] = "text/plain" end
  handle:respond(headers, mock:get("body"))
end
`;


const policed = (r: RouteIR): boolean => r.policies?.ipAcl !== undefined || r.policies?.appAcl !== undefined || r.policies?.throttle?.precision === 'Fast';
const hasPolicedMock = perGroup((group) => group.routes.some((r) => r.backend.kind === 'Mock' && policed(r)));

/** Whether some route answers through the mock filter (and so needs the mock cluster). */
function usesMockCluster(ir: GatewayIR): boolean {
  return ir.rateLimit !== undefined || ir.groups.some(hasPolicedMock);
}

/** Never contacted: it only gives mock routes the route entry the rate-limit filter needs. */
function mockCluster(source: SourceRef): JsonObject {
  return { name: MOCK_CLUSTER, type: 'STATIC', connect_timeout: '1s', load_assignment: { cluster_name: MOCK_CLUSTER, endpoints: [] }, metadata: sourceMetadata(source) };
}

/** The mock's response headers (its own, then the CORS flag's where absent), lower-case names. */
function replyHeaders(route: RouteIR, mock: MockBackendIR): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of mock.headers) headers[h.name.toLowerCase()] = h.value;
  for (const [key, value] of corsHeaderPairs(route)) headers[key] ??= value;
  return headers;
}

/** A policed mock route's parts: it forwards to the mock cluster, and the mock filter answers from its metadata. */
export function filteredMock(route: RouteIR, mock: MockBackendIR): { readonly cluster: string; readonly perFilter: JsonObject; readonly metadata: JsonObject } {
  return {
    cluster: MOCK_CLUSTER,
    perFilter: { [MOCK_FILTER]: typed('envoy.extensions.filters.http.lua.v3.LuaPerRoute', { name: REPLY_SOURCE }) },
    // Not marked as a mock reply by the hygiene filter: the mock filter marks its own.
    metadata: { [MOCK_FILTER]: { status: String(mock.status), body: mock.body, headers: replyHeaders(route, mock) } },
  };
}

/**
 * Mock answers: the mock filter after every policy, right before the router (it runs only where a
 * route names it), the cluster policed mocks forward to, and mappers that leave every mock answer
 * exactly as configured (the mock filter's, and direct responses the hygiene filter marked).
 */
export const MOCK: Feature = {
  httpFilters: () => [{ name: MOCK_FILTER, typed_config: typed('envoy.extensions.filters.http.lua.v3.Lua', { source_codes: { [REPLY_SOURCE]: { inline_string: MOCK_LUA } } }) }],
  clusters: (ir) => (usesMockCluster(ir) ? [mockCluster(ir.source)] : []),
  replyMappers: {
    mock: [
      { filter: { metadata_filter: { matcher: { filter: METADATA_NAMESPACE, path: [{ key: MOCK_REPLY_KEY }], value: { bool_match: true } }, match_if_key_not_found: false } } },
      { filter: replyIs('mock') },
    ],
  },
};
