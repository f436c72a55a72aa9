// X-Apig-RateLimit-api|app|ip|api-allenv in debug mode (docs/huawei-compatibility.md §7, §11): `remain:9,limit:10,time:1 minute`.
// On an X-Apig-Mode: debug call each limit of the route is asked for in its own call
// (ratelimit.ts inMode), and each call's filter adds its own x-ratelimit-* (draft 03) values:
//   x-ratelimit-limit: 10, 10;w=60;name="api"     x-ratelimit-remaining: 9
// The hygiene filter's response handler (lua.ts) runs this Lua: one X-Apig-RateLimit-<name> per
// value, then the x-ratelimit-* headers go (in debug mode a backend's own are dropped with them).
// A Fast ThrottlePolicy's local filter (fast-throttle.ts) gives the limit alone (`x-ratelimit-limit:
// 10`, this Envoy's share) of its tightest limit (or of the one that refused); the window and that
// limit's name come from route metadata.
// Outside debug mode those are dropped on the routes of Fast policies (drop_ratelimits).

/** Lua: `publish_ratelimits(headers)`. */
export const PUBLISH_RATELIMITS_LUA = `
local WINDOWS = { ["1"] = "1 second", ["60"] = "1 minute", ["3600"] = "1 hour", ["86400"] = "1 day" }

local function drop_ratelimits(headers)
  headers:remove("x-ratelimit-limit")
  headers:remove("x-ratelimit-remaining")
  headers:remove("x-ratelimit-reset")
end

local function publish_ratelimits(headers, fast_window, fast_limit)
  local count = headers:getNumValues("x-ratelimit-limit")
  for i = 0, count - 1 do
    local limit = headers:getAtIndex("x-ratelimit-limit", i)
    local remaining = headers:getAtIndex("x-ratelimit-remaining", i)
    local value, window, name = string.match(limit or "", '^(%d+), %d+;w=(%d+);name="([%w_-]+)"')
    if value == nil and fast_window ~= nil then
      value, window, name = string.match(limit or "", '^(%d+)$'), fast_window, fast_limit or "api"
    end
    if value ~= nil and remaining ~= nil then
      local time = WINDOWS[window] or (window .. " second")
      headers:replace("x-apig-ratelimit-" .. name, "remain:" .. remaining .. ",limit:" .. value .. ",time:" .. time)
    end
  end
  drop_ratelimits(headers)
end
`;
