// The HTTP filter chain. Order is fixed; each position says why it is where it is.
import type { GatewayIR } from '../ir';
import { authnFilters } from './authn';
import { HYGIENE_FILTER, HYGIENE_LUA } from './lua';
import { mockFilter } from './mock-reply';
import { fastThrottleFilter } from './fast-throttle';
import { appAclFilter, ipAclFilter } from './rbac';
import { rateLimitFilters } from './ratelimit';
import { typed, type JsonObject } from './json';

export function httpFilters(ir?: GatewayIR): JsonObject[] {
  return [
    // 1. Header hygiene: first, so no later filter or backend ever trusts a caller-supplied
    //    x-turnpike-* header, and every later log line sees the final X-Request-Id.
    {
      name: HYGIENE_FILTER,
      typed_config: typed('envoy.extensions.filters.http.lua.v3.Lua', { default_source_code: { inline_string: HYGIENE_LUA } }),
    },
    // 2. CORS: before authentication, so browser preflights are answered rather than rejected.
    //    No-op until a route carries a CorsPolicy (CORS plugin); the Huawei `cors` flag itself is
    //    response headers on the route (cors.ts).
    { name: 'envoy.filters.http.cors', typed_config: typed('envoy.extensions.filters.http.cors.v3.Cors') },
    // 3. IP ACL (RBAC, rbac.ts): cheapest denial, before any signature is checked. Always present;
    //    routes carry their rules.
    ipAclFilter(),
    // 4. authn (authn.ts, a Wasm module, behind the buffer filter that lets it see whole bodies):
    //    signature, AppCode, grants, backend signing; after the IP ACL so denied IPs cost nothing,
    //    before rate limits so per-app limits know the app. Only with an authn module; each route
    //    turns it off when it needs nothing from it.
    ...(ir?.authz?.module === undefined ? [] : authnFilters()),
    // 4b. App ACL (RBAC, rbac.ts): on the App authn authenticated, so right after it.
    appAclFilter(),
    // 5. Fast throttling (fast-throttle.ts): Envoy's local rate limit, each Envoy's share of a
    //    Fast ThrottlePolicy's limits; after authn so per-App limits know the App, before the
    //    global limits so a call it refuses costs no network call. Always present (a first Fast
    //    policy touches no listener); a route without Fast limits names none and is not counted.
    fastThrottleFilter(),
    // 6. global rate limits (ratelimit.ts): envoyproxy/ratelimit over gRPC, counters shared by
    //    every Envoy; after authn so per-App limits and quotas know the App. Only with a
    //    rate-limit service.
    ...(ir?.rateLimit === undefined ? [] : rateLimitFilters(ir.rateLimit.defaultApiLimit !== undefined)),
    // 6b. Mock answers of mock Apis with policies (mock-reply.ts): after every policy. Always
    //    present; routes turn it on.
    mockFilter(),
    // 7. Router: last by definition; forwards, redirects or serves direct (mock/error) responses.
    //    suppress_envoy_headers: Huawei responses carry no x-envoy-* headers, backends need none.
    {
      name: 'envoy.filters.http.router',
      typed_config: typed('envoy.extensions.filters.http.router.v3.Router', { suppress_envoy_headers: true }),
    },
  ];
}
