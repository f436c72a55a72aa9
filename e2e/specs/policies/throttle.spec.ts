// Throttling with precision Exact end to end: ThrottlePolicies applied with kubectl, limits counted
// by the real envoyproxy/ratelimit in a real Redis, calls through one or two real Envoys.
// Precision Fast (counted in each Envoy) is fast-throttle.spec.ts.
import { json, startGatewayEnvoy, waitFor, type Envoy } from '../../src';
import { groupYaml, hostOf } from '../routing/fixture';
import { burst, callPort, mockApiYaml, programmed, roomInMinute, startPolicyGateway, tally, throttleYaml, type PolicyGateway } from './fixture';

interface HuaweiError { error_code: string; error_msg: string; request_id: string }

const SOURCES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'];
const BOUND = 'api.throttle.example.com';

const api = mockApiYaml;
/** Precision Exact: this spec is about counting in the rate-limit service. */
const throttle = (name: string, targets: string, spec: string): string => throttleYaml(name, targets, `  precision: Exact\n${spec}`);

describe('throttling', () => {
  let pg: PolicyGateway;
  const request = (path: string, extra: { headers?: Record<string, string>; localAddress?: string } = {}): ReturnType<PolicyGateway['gw']['request']> =>
    pg.gw.request({ host: BOUND, path, ...extra });

  beforeAll(async () => {
    pg = await startPolicyGateway('throttle');
    await pg.gw.apply(groupYaml(pg.gw, 'shop', `  domains: [{hostname: ${BOUND}}]\n`));
  }, 240_000);
  afterAll(async () => {
    await pg.stop();
  }, 60_000);

  /** Applies Apis and a policy; Programmed means Envoy serves them and ratelimit knows the limits. */
  async function setUp(yaml: string, policy: string): Promise<void> {
    await pg.gw.apply(yaml);
    await programmed(pg.gw, 'throttlepolicy', policy);
  }

  it('lets exactly N calls through per window, then answers 429 APIG.0308 in Huawei\'s body', async () => {
    await setUp(api('exact') + throttle('exact', '{kind: Api, name: exact}', '  limits: {api: 10}'), 'exact');
    await roomInMinute();
    const replies = await burst(16, { host: BOUND, path: '/exact' }, (o) => pg.gw.request(o), SOURCES, 8);
    expect(tally(replies)).toEqual({ 200: 10, 429: 6 });
    const refused = replies.find((r) => r.status === 429);
    expect(json<HuaweiError>(refused!)).toEqual({
      error_code: 'APIG.0308', error_msg: 'The throttling threshold has been reached.', request_id: refused!.headers['x-request-id'],
    });
  });

  it('counts per client IP and shows every limit in debug mode', async () => {
    await setUp(api('per-ip') + throttle('per-ip', '{kind: Api, name: per-ip}', '  limits: {api: 10, ip: 2}'), 'per-ip');
    await roomInMinute();
    const first = await request('/per-ip', { localAddress: '127.0.0.7', headers: { 'X-Apig-Mode': 'debug' } });
    expect(first.status).toBe(200);
    expect(first.headers['x-apig-ratelimit-api']).toBe('remain:9,limit:10,time:1 minute');
    expect(first.headers['x-apig-ratelimit-ip']).toBe('remain:1,limit:2,time:1 minute');
    expect((await request('/per-ip', { localAddress: '127.0.0.7' })).status).toBe(200);
    const third = await request('/per-ip', { localAddress: '127.0.0.7' });
    expect([third.status, json<HuaweiError>(third).error_code]).toEqual([429, 'APIG.0308']);
    // Another address has its own count; the refused call used up nothing of the Api's.
    const other = await request('/per-ip', { localAddress: '127.0.0.8', headers: { 'X-Apig-Mode': 'debug' } });
    expect([other.status, other.headers['x-apig-ratelimit-api']]).toEqual([200, 'remain:7,limit:10,time:1 minute']);
    // Without debug mode no rate-limit header leaks.
    expect(Object.keys((await request('/per-ip', { localAddress: '127.0.0.9' })).headers).filter((h) => h.includes('ratelimit'))).toEqual([]);
  });

  it('counts each Api alone (PerApi) or all targets together (Shared)', async () => {
    await setUp(api('per-a') + api('per-b') + throttle('per-api', '{kind: Api, name: per-a}, {kind: Api, name: per-b}', '  limits: {api: 3}'), 'per-api');
    await setUp(api('shared-a') + api('shared-b') + throttle('shared', '{kind: Api, name: shared-a}, {kind: Api, name: shared-b}', '  limits: {api: 4}\n  counting: Shared'), 'shared');
    await roomInMinute();
    const perA = await burst(5, { host: BOUND, path: '/per-a' }, (o) => pg.gw.request(o), SOURCES);
    const perB = await burst(5, { host: BOUND, path: '/per-b' }, (o) => pg.gw.request(o), SOURCES);
    expect([tally(perA), tally(perB)]).toEqual([{ 200: 3, 429: 2 }, { 200: 3, 429: 2 }]);
    const sharedA = await burst(3, { host: BOUND, path: '/shared-a' }, (o) => pg.gw.request(o), SOURCES);
    const sharedB = await burst(3, { host: BOUND, path: '/shared-b' }, (o) => pg.gw.request(o), SOURCES);
    expect(tally([...sharedA, ...sharedB])).toEqual({ 200: 4, 429: 2 });
  });

  it('starts a new count every window (SECOND)', async () => {
    await setUp(api('second') + throttle('second', '{kind: Api, name: second}', '  window: {unit: SECOND}\n  limits: {api: 2}'), 'second');
    // Three calls within one second: one is refused...
    const refused = await waitFor(async () => {
      const replies = await burst(3, { host: BOUND, path: '/second' }, (o) => pg.gw.request(o), SOURCES, 3);
      return tally(replies)[429] === 1 ? replies : undefined;
    }, { what: 'three calls inside one second', timeoutMs: 20_000, intervalMs: 1 });
    expect(tally(refused)).toEqual({ 200: 2, 429: 1 });
    // ...and the next second lets calls through again.
    await pg.gw.until({ host: BOUND, path: '/second' }, (r) => r.status === 200, 5_000);
  });

  it('prefers a policy on the Api over one on its group, per environment', async () => {
    await setUp(api('layered', '[RELEASE, DEV]') + throttle('group-wide', '{kind: ApiGroup, name: shop}', '  limits: {api: 1000}\n  environments: [RELEASE, DEV]') +
      throttle('layered', '{kind: Api, name: layered}', '  limits: {api: 1}'), 'layered');
    await programmed(pg.gw, 'throttlepolicy', 'group-wide');
    await roomInMinute();
    const debug = await request('/layered', { headers: { 'X-Apig-Mode': 'debug' } });
    expect(debug.headers['x-apig-ratelimit-api']).toBe('remain:0,limit:1,time:1 minute');
    expect((await request('/layered')).status).toBe(429);
    // The Api's policy binds RELEASE only: in DEV the group's applies.
    const dev = await request('/layered', { headers: { 'X-Apig-Mode': 'debug', 'X-Stage': 'DEV' } });
    expect([dev.status, dev.headers['x-apig-ratelimit-api']]).toEqual([200, 'remain:999,limit:1000,time:1 minute']);
    await pg.gw.remove('throttlepolicy', 'group-wide');
  });

  it('holds a limit across two Envoy replicas of the fleet', async () => {
    const second: Envoy = await startGatewayEnvoy({ dir: pg.gw.dir, xdsPort: pg.gw.operator.xdsPort, name: 'envoy-b' });
    try {
      await waitFor(async () => (await (await fetch(`${second.admin}/listeners`)).text()).includes('http::'), { what: 'envoy-b listening' });
      await setUp(api('replicas') + throttle('replicas', '{kind: Api, name: replicas}', '  limits: {api: 12}'), 'replicas');
      await roomInMinute();
      const before = await Promise.all([pg.gw.envoy.admin, second.admin].map(servedBy));
      // One listening port, two Envoys (SO_REUSEPORT): the kernel spreads the connections.
      const replies = await burst(30, { host: BOUND, path: '/replicas' }, callPort(pg.gw.operator.httpPort), SOURCES, 6);
      const after = await Promise.all([pg.gw.envoy.admin, second.admin].map(servedBy));
      expect(tally(replies)).toEqual({ 200: 12, 429: 18 });
      expect(after.map((n, i) => n - (before[i] ?? 0)).every((n) => n > 0)).toBe(true);
    } finally {
      await second.stop();
    }
  });

  it('caps the default subdomain at 1,000 calls a day; bound domains are not capped', async () => {
    await pg.gw.apply(api('open'));
    const subdomain = hostOf(pg.gw, 'shop');
    await pg.gw.until({ host: BOUND, path: '/open' }, (r) => r.status === 200);
    const replies = await burst(1000, { host: subdomain, path: '/open' }, (o) => pg.gw.request(o), SOURCES, 20);
    expect(tally(replies)).toEqual({ 200: 1000 });
    const over = await pg.gw.request({ host: subdomain, path: '/open' });
    expect([over.status, json<HuaweiError>(over).error_code]).toEqual([429, 'APIG.0308']);
    expect((await request('/open')).status).toBe(200);
  });

  it('applies policy changes without dropping a call', async () => {
    await pg.gw.apply(api('live'));
    await pg.gw.until({ host: BOUND, path: '/live' }, (r) => r.status === 200);
    const statuses: number[] = [];
    const state = { running: true };
    const traffic = (async (): Promise<void> => {
      while (state.running) statuses.push((await request('/live', { localAddress: '127.0.0.10' })).status);
    })();
    const acl = `---\napiVersion: turnpike.dev/v1alpha1\nkind: AclPolicy\nmetadata: {name: live-deny}\nspec: {targetRefs: [{kind: Api, name: live}], action: DENY, type: IP, ips: [127.0.0.11]}\n`;
    try {
      await setUp(throttle('live', '{kind: Api, name: live}', '  limits: {api: 100000}'), 'live');
      await setUp(throttle('live', '{kind: Api, name: live}', '  limits: {api: 200000, ip: 100000}\n  window: {unit: HOUR}'), 'live');
      await pg.gw.apply(acl);
      await programmed(pg.gw, 'aclpolicy', 'live-deny');
      expect((await request('/live', { localAddress: '127.0.0.11' })).status).toBe(403);
      await pg.gw.remove('throttlepolicy', 'live');
      await pg.gw.remove('aclpolicy', 'live-deny');
      await pg.gw.until({ host: BOUND, path: '/live', localAddress: '127.0.0.11' }, (r) => r.status === 200);
    } finally {
      state.running = false;
      await traffic;
    }
    expect(statuses.length).toBeGreaterThan(20);
    expect(tally(statuses.map((status) => ({ status, headers: {}, body: '' })))).toEqual({ 200: statuses.length });
  });

  it('fails open or closed, as each policy says, while the rate-limit service cannot count', async () => {
    await setUp(api('fail-open') + throttle('fail-open', '{kind: Api, name: fail-open}', '  limits: {api: 1000}'), 'fail-open');
    await setUp(api('fail-closed') + throttle('fail-closed', '{kind: Api, name: fail-closed}', '  limits: {api: 1000}\n  failureMode: FailClosed'), 'fail-closed');
    expect((await request('/fail-closed')).status).toBe(200);
    await pg.stopRedis();
    try {
      const closed = await pg.gw.until({ host: BOUND, path: '/fail-closed' }, (r) => r.status === 500);
      expect(json<HuaweiError>(closed)).toMatchObject({ error_code: 'APIG.0601', error_msg: 'Internal server error.' });
      expect((await request('/fail-open')).status).toBe(200);
    } finally {
      await pg.restartRedis();
    }
    await pg.gw.until({ host: BOUND, path: '/fail-closed' }, (r) => r.status === 200, 30_000);
  });
});

/** Requests an Envoy's HTTP listener has answered. */
async function servedBy(admin: string): Promise<number> {
  const stats = await (await fetch(`${admin}/stats?filter=^http\\.http\\.downstream_rq_total$`)).text();
  return Number(/downstream_rq_total: (\d+)/.exec(stats)?.[1] ?? '0');
}

