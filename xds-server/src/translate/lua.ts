// The header-hygiene filter, in Lua because Envoy has no "remove headers by prefix" (request_
// headers_to_remove and header_mutation take exact names) and no conditional response header.
//
// Request:  drop every caller-supplied x-turnpike-* (only authz may set them, later); turn the
//           generated UUID X-Request-Id into Huawei's 32 hex digits before anything logs or
//           forwards it; remember X-Apig-Mode: debug in dynamic metadata.
// Response: drop every x-turnpike-* (a backend's, and the internal timing headers the route
//           configuration adds); in debug mode publish those timings as X-Apig-Latency and
//           X-Apig-Upstream-Latency (reference §11).
import { METADATA_NAMESPACE } from './metadata';

export const INTERNAL_HEADER_PREFIX = 'x-turnpike-';
/** Added by the route configuration: ms from receipt to response headers (%DURATION% then). */
export const LATENCY_HEADER = 'x-turnpike-latency';
/** Added by the route configuration: ms from sending upstream to upstream response headers. */
export const UPSTREAM_LATENCY_HEADER = 'x-turnpike-upstream-latency';

export const HYGIENE_LUA = `
local PREFIX = "${INTERNAL_HEADER_PREFIX}"

local function strip_internal(headers)
  local names = {}
  for name, _ in pairs(headers) do
    if string.sub(name, 1, #PREFIX) == PREFIX then names[#names + 1] = name end
  end
  for _, name in ipairs(names) do headers:remove(name) end
end

function envoy_on_request(handle)
  local headers = handle:headers()
  strip_internal(headers)
  local id = headers:get("x-request-id")
  if id ~= nil then headers:replace("x-request-id", (string.gsub(id, "-", ""))) end
  local mode = headers:get("x-apig-mode")
  if mode ~= nil and string.lower(mode) == "debug" then
    handle:streamInfo():dynamicMetadata():set("${METADATA_NAMESPACE}", "debug", true)
  end
end

function envoy_on_response(handle)
  local headers = handle:headers()
  local latency = headers:get("${LATENCY_HEADER}")
  local upstream = headers:get("${UPSTREAM_LATENCY_HEADER}")
  strip_internal(headers)
  local meta = handle:streamInfo():dynamicMetadata():get("${METADATA_NAMESPACE}")
  if meta == nil or not meta["debug"] then return end
  if latency ~= nil and latency ~= "" then headers:replace("x-apig-latency", latency) end
  if upstream ~= nil and upstream ~= "" then headers:replace("x-apig-upstream-latency", upstream) end
end
`;
