// The gateway's features in the one order their HTTP filters run; each position says why. A
// feature's filters, clusters, ECDS resources and reply mappers are declared in its own file
// (feature.ts); the HCM, index.ts and local-reply.ts read them from here.
import type { GatewayIR } from '../ir';
import { AUTHN } from './authn';
import { CORS } from './cors';
import type { Feature } from './feature';
import { FAST_THROTTLE } from './fast-throttle';
import { typed, type JsonObject } from './json';
import { HYGIENE } from './lua';
import { MOCK } from './mock-reply';
import { RATE_LIMIT } from './ratelimit';
import { APP_ACL, IP_ACL } from './rbac';

/** Last by definition: forwards, redirects or serves direct (mock, error) responses. */
const ROUTER: Feature = {
  // suppress_envoy_headers: Huawei responses carry no x-envoy-* headers, backends need none.
  httpFilters: () => [{ name: 'envoy.filters.http.router', typed_config: typed('envoy.extensions.filters.http.router.v3.Router', { suppress_envoy_headers: true }) }],
};

export const FEATURES: readonly Feature[] = [
  // 1. Header hygiene (lua.ts): first, so no later filter or backend ever trusts a caller-supplied
  //    x-turnpike-* header, and every later log line sees the final X-Request-Id.
  HYGIENE,
  // 2. CORS (cors.ts): before authentication, so browser preflights are answered rather than rejected.
  CORS,
  // 3. IP ACL (rbac.ts): cheapest denial, before any signature is checked. Always present; routes
  //    carry their rules.
  IP_ACL,
  // 4. authn (authn.ts, a native module, behind the buffer filter that lets it see whole bodies):
  //    signature, AppCode, grants, backend signing; after the IP ACL so denied IPs cost nothing,
  //    before rate limits so per-app limits know the app. Only with an authn module; each route
  //    turns it off when it needs nothing from it.
  AUTHN,
  // 4b. App ACL (rbac.ts): on the App authn authenticated, so right after it.
  APP_ACL,
  // 5. Fast throttling (fast-throttle.ts): Envoy's local rate limit, each Envoy's share of a Fast
  //    ThrottlePolicy's limits; after authn so per-App limits know the App, before the global limits
  //    so a call it refuses costs no network call. Always present (a first Fast policy touches no
  //    listener); a route without Fast limits names none and is not counted.
  FAST_THROTTLE,
  // 6. Global rate limits (ratelimit.ts): envoyproxy/ratelimit over gRPC, counters shared by every
  //    Envoy; after authn so per-App limits and quotas know the App. Only with a rate-limit service.
  RATE_LIMIT,
  // 6b. Mock answers of mock Apis with policies (mock-reply.ts): after every policy. Always present;
  //    routes turn it on.
  MOCK,
  // 7. Router.
  ROUTER,
];

/** The HCM's HTTP filters. */
export function httpFilters(ir: GatewayIR): JsonObject[] {
  return FEATURES.flatMap((f) => f.httpFilters(ir));
}
