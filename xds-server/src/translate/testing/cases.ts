// IR fixtures: each is translated and validated by the real Envoy (golden.test.ts) and serves the
// unit tests; the goldens of what users write are the operator's (operator/testdata/cases).
import type { GatewayIR } from '../../ir';
import { domain, forward, gateway, group, mock, route, serviceCluster, tls, urlCluster } from './builder';
import { POLICY_CASES } from './policy-cases';
import { AUTHN_CASES } from './authn-cases';

const users = serviceCluster('users', 80, [
  { address: '10.0.0.12', port: 8080 },
  { address: '10.0.0.11', port: 8080 },
  { address: 'fd00::11', port: 8080 },
]);
const empty = serviceCluster('empty', 443, [], 'https');
const legacy = urlCluster('shop', 'http', '192.0.2.10', 8080);
const partner = urlCluster('shop', 'https', 'partner.example.com', 8443);
const cdn = urlCluster('shop', 'https', 'cdn.example.com', 443);
const devBackend = urlCluster('shop', 'http', 'dev-backend.example.com', 80);

export const CASES: Readonly<Record<string, GatewayIR>> = {
  /** No group at all: listeners with an empty route configuration (every call → APIG.0101). */
  'empty-world': gateway(),

  mock: gateway({
    accessLog: { path: '/dev/stdout' },
    groups: [group('shop', [
      route('hello', { path: '/hello', backend: mock(200, '{"message":"hello"}', { 'Content-Type': 'application/json', 'X-Demo': 'yes' }) }),
      route('gone', { path: '/gone', backend: mock(404, 'mock says not found') }),
      route('empty', { path: '/empty', method: 'DELETE', backend: mock(204, '') }),
    ])],
  }),

  'service-eds': gateway({
    groups: [group('shop', [
      route('get-user', { path: '/users/{id}', backend: forward(users.name, '/api/users/{id}') }),
      route('list-users', { path: '/users', backend: forward(users.name, '/api/users') }),
      route('nobody', { path: '/nobody', backend: forward(empty.name, '/') }),
    ])],
    clusters: [users, empty],
  }),

  /** Huawei §5.1: prefix remainder appended; /test and /test/ distinct; literals escaped. */
  'url-params-prefix': gateway({
    groups: [group('shop', [
      route('test-slash', { path: '/test/', match: 'Prefix', backend: forward(legacy.name, '/test2/') }),
      route('test-aa', { path: '/test/AA', match: 'Prefix', backend: forward(legacy.name, '/b') }),
      route('test-aa-slash-backend', { path: '/test/BB', match: 'Prefix', backend: forward(legacy.name, '/c/') }),
      route('test-exact', { path: '/test', backend: forward(legacy.name, '/exact') }),
      route('order', { path: '/shops/{shop}/orders/{order.id}', backend: forward(partner.name, '/v1.0/shops/{shop}/orders/{order.id}') }),
      route('assets', { path: '/assets/{version}', match: 'Prefix', backend: forward(cdn.name, '/static/{version}') }),
      route('dotted', { path: '/v1.0/price$(eur)', backend: forward(partner.name, '/price') }),
      route('root', { path: '/', match: 'Prefix', backend: forward(legacy.name, '/') }),
    ])],
    clusters: [legacy, partner, cdn],
  }),

  greedy: gateway({
    groups: [group('shop', [
      route('files', { path: '/files/{path+}', backend: forward(cdn.name, '/bucket/{path}') }),
      route('file-meta', { path: '/files/{name}', backend: forward(cdn.name, '/meta/{name}') }),
      route('file-unused', { path: '/raw/{path+}', backend: forward(cdn.name, '/raw') }),
    ])],
    clusters: [cdn],
  }),

  /** One route per published environment; #var# already resolved to per-environment clusters. */
  environments: gateway({
    groups: [group('shop', [
      route('get-user', { path: '/users/{id}', backend: forward(legacy.name, '/users/{id}') }),
      route('get-user', { path: '/users/{id}', environment: 'DEV', backend: forward(devBackend.name, '/users/{id}') }),
      route('get-user', { path: '/users/{id}', environment: 'TEST_2', backend: mock(200, '{"id":"test"}') }),
    ])],
    clusters: [legacy, devBackend],
  }),

  /** Named methods before ANY; literal before {param}. */
  methods: gateway({
    groups: [group('shop', [
      route('any-user', { path: '/users/{id}', method: 'ANY', backend: forward(users.name, '/users/{id}') }),
      route('me', { path: '/users/me', backend: mock(200, 'me') }),
      route('get-user', { path: '/users/{id}', backend: forward(users.name, '/users/{id}') }),
      route('create-user', { path: '/users', method: 'POST', backend: forward(users.name, '/users') }),
      route('options', { path: '/users', method: 'OPTIONS', backend: mock(200, '') }),
      route('head', { path: '/users', method: 'HEAD', backend: mock(200, '') }),
    ])],
    clusters: [users],
  }),

  /** Bound domains: TLS by SNI over SDS, redirect to HTTPS, default certificate, protocol checks. */
  'tls-domains': gateway({
    https: { address: '0.0.0.0', port: 8443, publicPort: 443, defaultTls: tls('wildcard') },
    groups: [
      group('shop', [
        route('https-only', { path: '/pay', method: 'POST', protocol: 'HTTPS', backend: mock(200, 'paid') }),
        route('http-only', { path: '/legacy', protocol: 'HTTP', backend: mock(200, 'old') }),
        route('both', { path: '/catalog', backend: mock(200, 'catalog') }),
      ], {
        domains: [
          domain('shop.example.com', { tls: tls('shop-cert'), httpsRedirect: true }),
          domain('www.shop.example.com', { tls: tls('shop-cert'), minTlsVersion: 'TLSv1.3' }),
          domain('plain.shop.example.com'),
        ],
      }),
      group('blog', [route('posts', { path: '/posts', backend: mock(200, 'posts') })], {
        subdomain: undefined,
        domains: [domain('blog.example.com', { tls: tls('blog-cert'), httpsRedirect: true })],
      }),
    ],
  }),

  /** HTTPS on a non-standard public port; no plain HTTP listener. */
  'https-only-gateway': gateway({
    http: undefined,
    https: { address: '::', port: 8443, publicPort: 8443 },
    trustedProxyHops: 1,
    accessLog: { path: '/dev/null' },
    groups: [group('shop', [route('hello', { path: '/hello' })], { domains: [domain('shop.example.com', { tls: tls('shop-cert') })] })],
  }),

  'timeout-retries': gateway({
    groups: [group('shop', [
      route('default', { path: '/default', backend: forward(users.name, '/') }),
      route('post-default', { path: '/post', method: 'POST', backend: forward(users.name, '/') }),
      route('any-default', { path: '/any', method: 'ANY', backend: forward(users.name, '/') }),
      route('no-retry', { path: '/once', backend: forward(users.name, '/', { retries: 0, timeoutMs: 1 }) }),
      route('post-three', { path: '/post3', method: 'POST', backend: forward(users.name, '/', { retries: 3, timeoutMs: 1500 }) }),
      route('slow', { path: '/report', backend: forward(users.name, '/', { timeoutMs: 600_000 }) }),
      route('host', { path: '/host', backend: forward(users.name, '/', { hostRewrite: 'users.internal' }) }),
    ])],
    clusters: [users],
  }),

  cors: gateway({
    groups: [group('shop', [
      route('hello', { path: '/hello', cors: true, backend: forward(users.name, '/hello') }),
      route('preflight', { path: '/', match: 'Prefix', method: 'OPTIONS', cors: true, backend: mock(204, '') }),
      route('no-cors', { path: '/private', backend: forward(users.name, '/private') }),
    ])],
    clusters: [users],
  }),

  /** Without the authn module, APP Apis answer 401 APIG.0303 (fail closed); see authn-cases.ts. */
  'app-auth': gateway({
    groups: [group('shop', [
      route('signed', { path: '/orders', auth: { type: 'APP', appCode: false }, backend: forward(users.name, '/orders') }),
      route('app-code', { path: '/orders/{id}', auth: { type: 'APP', appCode: true }, backend: forward(users.name, '/orders/{id}') }),
    ])],
    clusters: [users],
  }),

  ...POLICY_CASES,
  ...AUTHN_CASES,
};
