// The header-hygiene filter, in Lua because Envoy has no "remove headers by prefix" (request_
// headers_to_remove and header_mutation take exact names) and no conditional response header.
//
// Request:  drop every caller-supplied x-turnpike-* (only Turnpike may set them), except the stage
//           header the HCM set before routing (stage.ts: a caller's copy is already gone, and the
//           route, chosen again after any Lua header change, matches it); turn the
//           generated UUID X-Request-Id into Huawei's 32 hex digits before anything logs or
//           forwards it; remember X-Apig-Mode: debug; for routes that answer locally (mock or
//           Huawei error, see routes.ts) copy the route's reply facts into internal request
//           headers, which is what local_reply_config mappers can match and format (local-reply.ts);
//           keep the Host and the path (without query) the caller sent for the access log, before
//           the router rewrites them for the backend (access-log.ts).
// Response: record the Huawei error code a local-reply mapper put on the gateway's own answer
//           (dynamic metadata, for the access log); drop every x-turnpike-* (a backend's, and
//           the internal timing headers the route configuration adds); in debug mode publish
//           those timings as X-Apig-Latency and X-Apig-Upstream-Latency, and the limits as
//           X-Apig-RateLimit-* (docs/huawei-compatibility.md §11); outside it drop the Fast
//           limit's x-ratelimit-* (ratelimit-headers.ts).
import type { Feature } from './feature';
import { typed, type JsonObject } from './json';
import { METADATA_NAMESPACE } from './metadata';
import { PUBLISH_RATELIMITS_LUA } from './ratelimit-headers';

/** The Lua filter's name: Envoy hands it the route metadata stored under this key. */
export const HYGIENE_FILTER = 'turnpike.hygiene';
const INTERNAL_HEADER_PREFIX = 'x-turnpike-';
/** Added by the route configuration: ms from receipt to response headers (%DURATION% then). */
export const LATENCY_HEADER = 'x-turnpike-latency';
/** Added by the route configuration: ms from sending upstream to upstream response headers. */
export const UPSTREAM_LATENCY_HEADER = 'x-turnpike-upstream-latency';
/** Request header naming a local reply's kind: `mock` or `error`. Never reaches a backend. */
export const REPLY_HEADER = 'x-turnpike-reply';
export const ERROR_CODE_HEADER = 'x-turnpike-error-code';
export const ERROR_MESSAGE_HEADER = 'x-turnpike-error-message';
/**
 * Response header a local-reply mapper sets on the gateway's own answers: the Huawei error code, or
 * AUTHN_REPLY_CODE when the authn filter wrote the body (the code is read from it). Route
 * configurations remove a backend's copy (route-config.ts), so only the gateway's answers carry it.
 */
export const REPLY_CODE_HEADER = 'x-turnpike-reply-code';
export const AUTHN_REPLY_CODE = 'authn';
/** A local-reply mapper's part that hands `code` (a code or a command operator) to the access log. */
export function replyCode(code: string): { headers_to_add: JsonObject[] } {
  return { headers_to_add: [{ header: { key: REPLY_CODE_HEADER, value: code }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }] };
}
/** Route metadata under HYGIENE_FILTER on a route with Fast limits: their window in seconds. */
export const FAST_WINDOW_KEY = 'fast_window';
/** Route metadata under HYGIENE_FILTER on a route with Fast limits: the limit Envoy's headers describe. */
export const FAST_LIMIT_KEY = 'fast_limit';
/** Request header holding the environment the request selected, set before routing (stage.ts). */
export const STAGE_HEADER = 'x-turnpike-stage';

/** Route metadata under HYGIENE_FILTER for a route whose direct_response is a mock or an error. */
export function replyMetadata(reply: { readonly kind: 'mock' } | { readonly kind: 'error'; readonly code: string; readonly message: string }): Record<string, string> {
  return reply.kind === 'mock' ? { reply: 'mock' } : { reply: 'error', error_code: reply.code, error_message: reply.message };
}

export const HYGIENE_LUA = `
local PREFIX = "${INTERNAL_HEADER_PREFIX}"

local function strip_internal(headers, keep)
  local names = {}
  for name, _ in pairs(headers) do
    if string.sub(name, 1, #PREFIX) == PREFIX and name ~= keep then names[#names + 1] = name end
  end
  for _, name in ipairs(names) do headers:remove(name) end
end

local function mark_local_reply(handle, headers)
  local route = handle:metadata()
  local reply = route:get("reply")
  if reply == nil then return end
  headers:replace("${REPLY_HEADER}", reply)
  if reply == "error" then
    headers:replace("${ERROR_CODE_HEADER}", route:get("error_code"))
    headers:replace("${ERROR_MESSAGE_HEADER}", route:get("error_message"))
  end
end

${PUBLISH_RATELIMITS_LUA}
local function remember_request(handle, headers)
  local meta = handle:streamInfo():dynamicMetadata()
  local path = headers:get(":path")
  if path ~= nil then meta:set("${METADATA_NAMESPACE}", "path", (string.gsub(path, "?.*", ""))) end
  local host = headers:get(":authority")
  if host ~= nil then meta:set("${METADATA_NAMESPACE}", "host", host) end
end

function envoy_on_request(handle)
  local headers = handle:headers()
  strip_internal(headers, "${STAGE_HEADER}")
  remember_request(handle, headers)
  local id = headers:get("x-request-id")
  if id ~= nil then headers:replace("x-request-id", (string.gsub(id, "-", ""))) end
  local mode = headers:get("x-apig-mode")
  if mode ~= nil and string.lower(mode) == "debug" then
    handle:streamInfo():dynamicMetadata():set("${METADATA_NAMESPACE}", "debug", true)
  end
  mark_local_reply(handle, headers)
end

-- The code is recorded last: reading the authn filter's body ends header changes.
local function record_reply_code(handle, code)
  if code == nil or code == "" then return end
  if code == "${AUTHN_REPLY_CODE}" then
    -- The authn filter's refusal: a small body, already complete, Huawei's JSON with the code.
    local body = handle:body()
    code = body and string.match(body:getBytes(0, body:length()), '"error_code":"([^"]*)"')
  end
  if code ~= nil then handle:streamInfo():dynamicMetadata():set("${METADATA_NAMESPACE}", "error_code", code) end
end

local function publish_debug(handle, headers, latency, upstream)
  local limited = headers:get("x-ratelimit-limit") ~= nil
  local route = limited and handle:metadata() or nil
  local fast_window = route and route:get("${FAST_WINDOW_KEY}") or nil
  local meta = handle:streamInfo():dynamicMetadata():get("${METADATA_NAMESPACE}")
  if meta == nil or not meta["debug"] then
    if fast_window ~= nil then drop_ratelimits(headers) end
    return
  end
  if latency ~= nil and latency ~= "" then headers:replace("x-apig-latency", latency) end
  if upstream ~= nil and upstream ~= "" then headers:replace("x-apig-upstream-latency", upstream) end
  publish_ratelimits(headers, fast_window, route and route:get("${FAST_LIMIT_KEY}") or nil)
end

function envoy_on_response(handle)
  local headers = handle:headers()
  local code = headers:get("${REPLY_CODE_HEADER}")
  local latency = headers:get("${LATENCY_HEADER}")
  local upstream = headers:get("${UPSTREAM_LATENCY_HEADER}")
  strip_internal(headers)
  publish_debug(handle, headers, latency, upstream)
  record_reply_code(handle, code)
end
`;

/** Header hygiene: the first filter, so no later filter or backend trusts a caller's x-turnpike-* header. */
export const HYGIENE: Feature = {
  httpFilters: () => [{ name: HYGIENE_FILTER, typed_config: typed('envoy.extensions.filters.http.lua.v3.Lua', { default_source_code: { inline_string: HYGIENE_LUA } }) }],
};
