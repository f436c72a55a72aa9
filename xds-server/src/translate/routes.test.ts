import type { ClusterIR } from '../ir';
import { translateIR } from '.';
import { buildRoutes, type RouteContext } from './routes';
import { retryPolicy } from './retry';
import { forward, gateway, group, mock, route, serviceCluster, urlCluster } from './testing/builder';

const users = serviceCluster('users', 80, []);
const partner = urlCluster('shop', 'https', 'partner.example.com', 443);
const context: RouteContext = { clusters: new Map<string, ClusterIR>([[users.name, users], [partner.name, partner]]) };
/** The route of a BOTH Api, or an Api's first (its scheme's) route. */
const buildRoute = (...args: Parameters<typeof buildRoutes>): ReturnType<typeof buildRoutes>[number] | undefined => buildRoutes(...args)[0];

describe('retries (Huawei retry_count)', () => {
  it('-1 retries idempotent methods once and never POST or PATCH', () => {
    expect(retryPolicy(-1, 'GET')).toMatchObject({ num_retries: 1 });
    expect(retryPolicy(-1, 'DELETE')).toMatchObject({ num_retries: 1 });
    expect(retryPolicy(-1, 'POST')).toBeUndefined();
    expect(retryPolicy(-1, 'PATCH')).toBeUndefined();
  });

  it('-1 on ANY retries only requests with an idempotent method', () => {
    expect(retryPolicy(-1, 'ANY')).toMatchObject({
      num_retries: 1,
      retriable_request_headers: [{ name: ':method', string_match: { safe_regex: { regex: '^(?:GET|HEAD|PUT|OPTIONS|DELETE)$' } } }],
    });
  });

  it('0 disables retries; N retries every method N times on connection failures only', () => {
    expect(retryPolicy(0, 'GET')).toBeUndefined();
    expect(retryPolicy(3, 'POST')).toMatchObject({ num_retries: 3, retry_on: 'connect-failure,refused-stream,reset-before-request' });
    expect(() => retryPolicy(11, 'GET')).toThrow(/XDS_TRANSLATE_OUT_OF_RANGE/);
  });
});

describe('buildRoute', () => {
  it('serves an Api of one protocol on its scheme only, and answers 400 APIG.0607 on the other', () => {
    const https = route('pay', { path: '/pay', protocol: 'HTTPS', backend: forward(users.name, '/pay') });
    const [only, error, ...more] = buildRoutes(https, context);
    expect(more).toEqual([]);
    // The listener overwrites :scheme with its own (hcm.ts): the route for HTTPS, then the error.
    expect(only).toMatchObject({ match: { path: '/pay' }, route: { cluster: users.name } });
    expect(only?.['match']).toHaveProperty('headers', expect.arrayContaining([{ name: ':scheme', string_match: { exact: 'https' } }]) as unknown);
    expect(error).toMatchObject({
      match: { path: '/pay' },
      direct_response: { status: 400 },
      metadata: { filter_metadata: { 'turnpike.hygiene': { reply: 'error', error_code: 'APIG.0607', error_message: 'The following protocol is supported: HTTPS' } } },
    });
    expect(JSON.stringify(error)).not.toContain(':scheme');
    const http = route('old', { path: '/old', protocol: 'HTTP' });
    const [onHttp, onHttps] = buildRoutes(http, context);
    expect(onHttp?.['match']).toHaveProperty('headers', expect.arrayContaining([{ name: ':scheme', string_match: { exact: 'http' } }]) as unknown);
    expect(onHttps).toMatchObject({ direct_response: { status: 400 }, metadata: { filter_metadata: { 'turnpike.hygiene': { error_message: 'The following protocol is supported: HTTP' } } } });
    expect(buildRoutes(route('any', { path: '/any', backend: forward(users.name, '/') }), context)).toHaveLength(1);
  });

  it('fails closed on APP auth without the authn filter', () => {
    const app = route('signed', { path: '/s', auth: { type: 'APP', appCode: true }, backend: forward(users.name, '/s') });
    expect(buildRoute(app, context)).toMatchObject({
      direct_response: { status: 401 },
      metadata: { filter_metadata: { 'turnpike.dev': { auth: 'APP', app_code: true }, 'turnpike.hygiene': { reply: 'error', error_code: 'APIG.0303' } } },
    });
  });

  it('marks mock routes so their replies pass local_reply_config untouched', () => {
    expect(buildRoute(route('m', { path: '/m', backend: mock(500, 'x') }), context)).toMatchObject({
      direct_response: { status: 500, body: { inline_string: 'x' } },
      metadata: { filter_metadata: { 'turnpike.hygiene': { reply: 'mock' } } },
    });
  });

  it('sends the URL host[:port] as Host unless the IR overrides it', () => {
    expect(buildRoute(route('p', { path: '/p', backend: forward(partner.name, '/') }), context)).toMatchObject({ route: { host_rewrite_literal: 'partner.example.com' } });
    expect(buildRoute(route('s', { path: '/s', backend: forward(users.name, '/') }), context)).not.toHaveProperty('route.host_rewrite_literal');
    expect(buildRoute(route('s', { path: '/s', backend: forward(users.name, '/', { hostRewrite: 'u' }) }), context)).toMatchObject({ route: { host_rewrite_literal: 'u' } });
  });

  it('lifts the stream idle timeout for backend timeouts over five minutes', () => {
    expect(buildRoute(route('s', { path: '/s', backend: forward(users.name, '/', { timeoutMs: 300_000 }) }), context)).not.toHaveProperty('route.idle_timeout');
    expect(buildRoute(route('s', { path: '/s', backend: forward(users.name, '/', { timeoutMs: 300_001 }) }), context)).toMatchObject({ route: { timeout: '300.001s', idle_timeout: '300.001s' } });
  });

  it.each([
    ['an unknown cluster', route('x', { path: '/x', backend: forward('nope', '/') }), 'XDS_TRANSLATE_UNKNOWN_CLUSTER'],
    ['a mock status Envoy refuses', route('x', { path: '/x', backend: mock(101, '') }), 'XDS_TRANSLATE_OUT_OF_RANGE'],
    ['a zero timeout', route('x', { path: '/x', backend: forward(users.name, '/', { timeoutMs: 0 }) }), 'XDS_TRANSLATE_OUT_OF_RANGE'],
  ])('throws on %s', (_what, bad, code) => {
    expect(() => buildRoute(bad, context)).toThrow(code);
  });
});

describe('IR invariants', () => {
  it('refuses a hostname served by two groups', () => {
    const ir = gateway({ groups: [group('a', [], { subdomain: 'x.example.test' }), group('b', [], { subdomain: 'x.example.test' })] });
    expect(() => translateIR(ir)).toThrow(/XDS_TRANSLATE_DUPLICATE_DOMAIN/);
  });

  it('refuses two clusters with one name', () => {
    expect(() => translateIR(gateway({ clusters: [users, users] }))).toThrow(/XDS_TRANSLATE_DUPLICATE_CLUSTER/);
  });

  it('refuses a port Envoy cannot use', () => {
    expect(() => translateIR(gateway({ http: { address: '0.0.0.0', port: 70000 } }))).toThrow(/XDS_TRANSLATE_OUT_OF_RANGE/);
  });
});
