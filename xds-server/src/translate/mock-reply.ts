// Mock Apis under rate limits. A mock is a direct_response route, and Envoy's rate-limit filter
// skips routes without a route entry (direct responses have none), so a throttled mock would never
// be throttled. Such a route forwards instead, to `turnpike-mock` (a cluster with no endpoints that
// is never reached), and the last filter before the router, `turnpike.mock`, answers with the
// mock's status, headers and body, read from the route's metadata. The answer is a local reply
// marked `mock` by the hygiene filter (as direct responses are), so local-reply.ts leaves it as
// configured. Mocks without rate limits stay direct responses.
import type { MockBackendIR, RouteIR, SourceRef } from '../ir';
import { corsHeaders } from './cors';
import { typed, type JsonObject, type JsonValue } from './json';
import { sourceMetadata } from './metadata';

export const MOCK_FILTER = 'turnpike.mock';
export const MOCK_CLUSTER = 'turnpike-mock';

const MOCK_LUA = `
function envoy_on_request(handle)
  local mock = handle:metadata()
  local status = mock:get("status")
  if status == nil then return end
  local headers = { [":status"] = status }
  local given = mock:get("headers")
  if given ~= nil then
    for name, value in pairs(given) do headers[name] = value end
  end
  if headers["content-type"] == nil and mock:get("body") ~= "" then headers["content-type"] = "text/plain" end
  handle:respond(headers, mock:get("body"))
end
`;

/** Position 6b of http-filters.ts: after every rate limit, right before the router. */
export function mockFilter(): JsonObject {
  return { name: MOCK_FILTER, typed_config: typed('envoy.extensions.filters.http.lua.v3.Lua', { default_source_code: { inline_string: MOCK_LUA } }) };
}

/** Never contacted: it only gives mock routes the route entry the rate-limit filter needs. */
export function mockCluster(source: SourceRef): JsonObject {
  return { name: MOCK_CLUSTER, type: 'STATIC', connect_timeout: '1s', load_assignment: { cluster_name: MOCK_CLUSTER, endpoints: [] }, metadata: sourceMetadata(source) };
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The mock's response headers (its own, then the CORS flag's where absent), lower-case names. */
function replyHeaders(route: RouteIR, mock: MockBackendIR): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of mock.headers) headers[h.name.toLowerCase()] = h.value;
  for (const entry of corsHeaders(route)) {
    const header = entry.header;
    if (isObject(header) && typeof header.key === 'string' && typeof header.value === 'string' && headers[header.key] === undefined) headers[header.key] = header.value;
  }
  return headers;
}

/** A built mock route turned into a forwarding route answered by the mock filter. */
export function mockThroughFilters(built: JsonObject, route: RouteIR): JsonObject {
  if (route.backend.kind !== 'Mock' || !isObject(built.direct_response)) return built;
  const mock = route.backend;
  const metadata = isObject(built.metadata) ? built.metadata : {};
  const filterMetadata = isObject(metadata.filter_metadata) ? metadata.filter_metadata : {};
  const reply = { status: String(mock.status), body: mock.body, headers: replyHeaders(route, mock) };
  const rest = Object.fromEntries(Object.entries(built).filter(([key]) => key !== 'direct_response' && key !== 'response_headers_to_add'));
  return { ...rest, route: { cluster: MOCK_CLUSTER }, metadata: { ...metadata, filter_metadata: { ...filterMetadata, [MOCK_FILTER]: reply } } };
}
