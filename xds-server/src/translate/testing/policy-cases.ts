// Golden cases for throttling and access control (rate-limit filters, RBAC, debug-mode descriptors).
import type { GatewayIR, IpAclIR, ThrottleIR } from '../../ir';
import { domain, forward, gateway, group, mock, route, serviceCluster, source } from './builder';

const users = serviceCluster('users', 80, [{ address: '10.0.0.11', port: 8080 }]);

const rateLimit = {
  service: { host: '127.0.0.1', port: 8081 },
  subdomainDailyLimit: 1000,
  appQuotas: [
    { source: source('App', 'partner'), limit: 100_000, unit: 'DAY' as const },
    { source: source('App', 'batch'), limit: 10, unit: 'SECOND' as const },
  ],
};

/** PerApi, every dimension, special apps, fails open. */
const gold: ThrottleIR = {
  source: source('ThrottlePolicy', 'gold'), unit: 'MINUTE', precision: 'Exact', api: 100, app: 20, ip: 10,
  specialApps: [{ appId: 'shop/partner', limit: 50 }, { appId: 'shop/batch', limit: 5 }], scope: 'get-user', failClosed: false,
};
/** Shared, api only, fails closed. */
const shared: ThrottleIR = { source: source('ThrottlePolicy', 'shared'), unit: 'SECOND', precision: 'Exact', api: 5, specialApps: [], scope: '*', failClosed: true };
/** Special apps without an app limit. */
const specialsOnly: ThrottleIR = {
  source: source('ThrottlePolicy', 'vip'), unit: 'DAY', precision: 'Exact', api: 1000, specialApps: [{ appId: 'shop/partner', limit: 900 }], scope: 'report', failClosed: false,
};

const office: IpAclIR = {
  source: source('AclPolicy', 'office'), action: 'ALLOW',
  cidrs: [{ address: '192.168.1.5', prefixLength: 32 }, { address: '192.168.10.0', prefixLength: 24 }, { address: '2001:db8::', prefixLength: 32 }],
};
const blocked: IpAclIR = { source: source('AclPolicy', 'blocked'), action: 'DENY', cidrs: [{ address: '127.0.0.2', prefixLength: 31 }] };

const shopRoutes = [
  route('get-user', { path: '/users/{id}', backend: forward(users.name, '/users/{id}'), policies: { throttle: gold, ipAcl: office } }),
  route('list-users', { path: '/users', backend: forward(users.name, '/users'), policies: { throttle: shared } }),
  route('list-users', { path: '/users', environment: 'DEV', backend: forward(users.name, '/users'), policies: { throttle: shared, ipAcl: blocked } }),
  route('report', { path: '/report', backend: mock(200, 'report'), policies: { throttle: specialsOnly } }),
  route('open', { path: '/open', backend: mock(200, 'open') }),
  // Answers 400 APIG.0607 on the HTTP listener: no policy applies there.
  route('secure', { path: '/secure', protocol: 'HTTPS', backend: mock(200, 'secure'), policies: { throttle: { ...gold, scope: 'secure' }, ipAcl: blocked } }),
];

export const POLICY_CASES: Readonly<Record<string, GatewayIR>> = {
  /** Throttles (PerApi, Shared, FailClosed, special apps), IP ACLs, the subdomain cap and quotas. */
  'policies-ratelimit': gateway({
    rateLimit,
    groups: [
      group('shop', shopRoutes, { domains: [domain('api.shop.example.com')] }),
      // No default subdomain: no daily cap.
      group('partner', [route('feed', { path: '/feed', backend: mock(200, 'feed'), policies: { ipAcl: office } })], { subdomain: undefined, domains: [domain('feed.example.com')] }),
    ],
    clusters: [users],
  }),

  /**
   * The gateway's default limit per Api: every route counts against it, in the same call as its
   * ThrottlePolicy's limits (failing closed with a FailClosed policy), each also asked alone in debug mode.
   */
  'policies-default-limit': gateway({
    rateLimit: { ...rateLimit, appQuotas: [], defaultApiLimit: { limit: 200, unit: 'SECOND' } },
    groups: [group('shop', [
      route('list-users', { path: '/users', backend: forward(users.name, '/users'), policies: { throttle: shared } }),
      route('open', { path: '/open', backend: mock(200, 'open') }),
      route('open', { path: '/open', environment: 'DEV', backend: mock(200, 'open') }),
    ], { domains: [domain('api.shop.example.com')] })],
    clusters: [users],
  }),

  /**
   * Fast throttles (counted in Envoy, no rate-limit service needed): PerApi with every dimension and
   * special apps on a forward and a mock route, Shared across two Apis and two environments, and a
   * route without a policy beside them; the ECDS resource holds the buckets (one Envoy: the whole limit).
   */
  'policies-fast': gateway({
    groups: [group('shop', [
      route('get-user', { path: '/users/{id}', backend: forward(users.name, '/users/{id}'), policies: { throttle: { ...gold, precision: 'Fast' }, ipAcl: office } }),
      route('report', { path: '/report', backend: mock(200, 'report'), policies: { throttle: { ...gold, precision: 'Fast', scope: 'report' } } }),
      route('list-users', { path: '/users', backend: forward(users.name, '/users'), policies: { throttle: { ...shared, precision: 'Fast' } } }),
      route('list-users', { path: '/users', environment: 'DEV', backend: forward(users.name, '/users'), policies: { throttle: { ...shared, precision: 'Fast' } } }),
      route('count-users', { path: '/users/count', backend: forward(users.name, '/users/count'), policies: { throttle: { ...shared, precision: 'Fast' } } }),
      route('open', { path: '/open', backend: mock(200, 'open') }),
    ], { domains: [domain('api.shop.example.com')] })],
    clusters: [users],
  }),

  /** Without a rate-limit service: no rate-limit filters or cluster, Exact throttles ignored; ACLs still enforced. */
  'policies-acl-only': gateway({
    trustedProxyHops: 2,
    groups: [group('shop', [
      route('get-user', { path: '/users/{id}', backend: forward(users.name, '/users/{id}'), policies: { throttle: gold, ipAcl: office } }),
      route('list-users', { path: '/users', backend: forward(users.name, '/users'), policies: { ipAcl: blocked } }),
    ])],
    clusters: [users],
  }),
};
