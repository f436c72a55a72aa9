// The HTTP filter chain. Order is fixed; each position says why it is where it is.
import { HYGIENE_FILTER, HYGIENE_LUA } from './lua';
import { typed, type JsonObject } from './json';

export function httpFilters(): JsonObject[] {
  return [
    // 1. Header hygiene: first, so no later filter, authz or backend ever trusts a caller-supplied
    //    x-turnpike-* header, and every later log line sees the final X-Request-Id.
    {
      name: HYGIENE_FILTER,
      typed_config: typed('envoy.extensions.filters.http.lua.v3.Lua', { default_source_code: { inline_string: HYGIENE_LUA } }),
    },
    // 2. CORS: before authentication, so browser preflights are answered rather than rejected.
    //    No-op until a route carries a CorsPolicy (CORS plugin); the Huawei `cors` flag itself is
    //    response headers on the route (cors.ts).
    { name: 'envoy.filters.http.cors', typed_config: typed('envoy.extensions.filters.http.cors.v3.Cors') },
    // 3. IP ACL (RBAC) — later: cheapest denial, before any call out to authz.
    // 4. ext_authz — later: signature, AppCode, grants, app ACL, backend signing; after the IP ACL
    //    so denied IPs cost nothing, before rate limits so per-app limits know the app.
    // 5. local rate limit — later: per-Envoy token buckets, before the global limit's network call.
    // 6. global rate limit — later: envoyproxy/ratelimit over gRPC.
    // 7. Router: last by definition; forwards, redirects or serves direct (mock/error) responses.
    //    suppress_envoy_headers: Huawei responses carry no x-envoy-* headers, backends need none.
    {
      name: 'envoy.filters.http.router',
      typed_config: typed('envoy.extensions.filters.http.router.v3.Router', { suppress_envoy_headers: true }),
    },
  ];
}
