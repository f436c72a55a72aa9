// The Huawei `cors` flag (docs/huawei-compatibility.md §14.3) as response headers on the route. Added only when
// absent, so a backend's own CORS headers win as Huawei documents. Envoy's CORS filter is not used
// for the flag: it echoes the Origin instead of `*` and overrides the backend.
import type { RouteIR } from '../ir';
import type { Feature } from './feature';
import { typed, type JsonObject } from './json';

/** The preflight set Huawei returns from a `cors: true` OPTIONS Api. */
const PREFLIGHT_HEADERS: readonly (readonly [string, string])[] = [
  ['access-control-allow-headers', 'X-Stage,X-Sdk-Date,X-Sdk-Nonce,X-Proxy-Signed-Headers,X-Sdk-Content-Sha256,X-Forwarded-For,Authorization,Content-Type,Accept,Accept-Ranges,Cache-Control,Range'],
  ['access-control-expose-headers', 'X-Request-Id,X-Apig-Latency,X-Apig-Upstream-Latency,X-Apig-RateLimit-Api,X-Apig-RateLimit-User,X-Apig-RateLimit-App,X-Apig-RateLimit-Ip,X-Apig-RateLimit-Api-Allenv'],
  ['access-control-allow-methods', 'GET,POST,PUT,DELETE,HEAD,OPTIONS,PATCH'],
  ['access-control-max-age', '172800'],
];

/** The headers (lower-case name, value) the route's CORS flag adds where the answer has none. */
export function corsHeaderPairs(route: RouteIR): (readonly [string, string])[] {
  if (!route.cors) return [];
  const origin = ['access-control-allow-origin', '*'] as const;
  // The OPTIONS Api of the pair answers browser preflights.
  return route.method === 'OPTIONS' ? [origin, ...PREFLIGHT_HEADERS] : [origin];
}

/** response_headers_to_add entries for the route's CORS flag. */
export function corsHeaders(route: RouteIR): JsonObject[] {
  return corsHeaderPairs(route).map(([key, value]) => ({ header: { key, value }, append_action: 'ADD_IF_ABSENT' }));
}

/**
 * Envoy's CORS filter: a no-op until a route carries a CorsPolicy (the CORS plugin); the Huawei
 * `cors` flag itself is the response headers above.
 */
export const CORS: Feature = {
  httpFilters: () => [{ name: 'envoy.filters.http.cors', typed_config: typed('envoy.extensions.filters.http.cors.v3.Cors') }],
};
