// Throttling with precision Fast end to end: ThrottlePolicies applied with kubectl, counted by each
// real Envoy's local rate limit (no call leaves Envoy), each Envoy holding its share of the limit
// for the Envoys connected to the operator. Precision Exact is throttle.spec.ts.
import { json, startGatewayEnvoy, waitFor, type Envoy, type HttpReply } from '../../src';
import { groupYaml } from '../routing/fixture';
import { burst, callPort, fastShares as shares, mockApiYaml, programmed, startPolicyGateway, tally, throttleYaml, type PolicyGateway } from './fixture';

interface HuaweiError { error_code: string; error_msg: string; request_id: string }

const SOURCES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'];
const BOUND = 'api.fast.example.com';
const DEBUG = { 'X-Apig-Mode': 'debug' };

const api = mockApiYaml;
const throttle = throttleYaml;

/** Calls an Envoy's local rate limit let through and refused, from its stats. */
async function fastCounts(admin: string): Promise<{ ok: number; limited: number }> {
  const stats = await (await fetch(`${admin}/stats?filter=^throttle_fast\\.http_local_rate_limit\\.`)).text();
  const value = (name: string): number => Number(new RegExp(`\\.${name}: (\\d+)`).exec(stats)?.[1] ?? '0');
  return { ok: value('ok'), limited: value('rate_limited') };
}

describe('throttling with precision Fast', () => {
  let pg: PolicyGateway;
  const request = (path: string, extra: { headers?: Record<string, string>; localAddress?: string } = {}): Promise<HttpReply> =>
    pg.gw.request({ host: BOUND, path, ...extra });
  const setUp = async (yaml: string, policy: string): Promise<void> => {
    await pg.gw.apply(yaml);
    await programmed(pg.gw, 'throttlepolicy', policy);
  };

  beforeAll(async () => {
    pg = await startPolicyGateway('fast');
    await pg.gw.apply(groupYaml(pg.gw, 'shop', `  domains: [{hostname: ${BOUND}}]\n`));
  }, 240_000);
  afterAll(async () => {
    await pg.stop();
  }, 60_000);

  it('lets exactly N calls through from a full bucket, answers 429 APIG.0308, and is full again a window later', async () => {
    await setUp(api('fast-n') + throttle('fast-n', '{kind: Api, name: fast-n}', '  window: {unit: SECOND}\n  limits: {api: 5}'), 'fast-n');
    expect(await pg.gw.condition('throttlepolicy', 'fast-n', 'Programmed')).toMatchObject({ status: 'True' });
    const replies = await burst(8, { host: BOUND, path: '/fast-n' }, (o) => pg.gw.request(o), SOURCES, 8);
    expect(tally(replies)).toEqual({ 200: 5, 429: 3 });
    const refused = replies.find((r) => r.status === 429);
    expect(json<HuaweiError>(refused!)).toEqual({
      error_code: 'APIG.0308', error_msg: 'The throttling threshold has been reached.', request_id: refused!.headers['x-request-id'],
    });
    // No rate-limit header leaks outside debug mode, the filter's own included.
    expect(Object.keys(replies[0]!.headers).filter((h) => h.includes('ratelimit'))).toEqual([]);
    // Time refills the bucket: debug probes (each takes a token, fewer than the refill brings)
    // until one finds it full, then the rest of the full bucket and no more.
    const probe = async (): Promise<unknown> => (await pg.gw.request({ host: BOUND, path: '/fast-n', headers: DEBUG })).headers['x-apig-ratelimit-api'];
    await waitFor(async () => (await probe()) === 'remain:4,limit:5,time:1 second', { what: 'the bucket full again', intervalMs: 400, timeoutMs: 10_000 });
    expect(tally(await burst(5, { host: BOUND, path: '/fast-n' }, (o) => pg.gw.request(o), SOURCES, 5))).toEqual({ 200: 4, 429: 1 });
  });

  it('needs no rate-limit service: counts exactly while Redis is down', async () => {
    await setUp(api('no-service') + throttle('no-service', '{kind: Api, name: no-service}', '  limits: {api: 4}'), 'no-service');
    await pg.stopRedis();
    try {
      expect(tally(await burst(6, { host: BOUND, path: '/no-service' }, (o) => pg.gw.request(o), SOURCES, 3))).toEqual({ 200: 4, 429: 2 });
    } finally {
      await pg.restartRedis();
    }
  });

  it('counts per client IP, per environment, and each Api alone (PerApi) or all together (Shared)', async () => {
    await setUp(api('ip-a') + throttle('per-ip', '{kind: Api, name: ip-a}', '  limits: {api: 10, ip: 2}'), 'per-ip');
    const from = (address: string): Promise<HttpReply> => request('/ip-a', { localAddress: address });
    expect([(await from('127.0.0.7')).status, (await from('127.0.0.7')).status, (await from('127.0.0.7')).status]).toEqual([200, 200, 429]);
    expect((await from('127.0.0.8')).status).toBe(200);

    await setUp(api('per-a', '[RELEASE, DEV]') + api('per-b') + throttle('per-api', '{kind: Api, name: per-a}, {kind: Api, name: per-b}', '  limits: {api: 3}\n  environments: [RELEASE, DEV]'), 'per-api');
    await setUp(api('shared-a') + api('shared-b') + throttle('shared', '{kind: Api, name: shared-a}, {kind: Api, name: shared-b}', '  limits: {api: 4}\n  counting: Shared'), 'shared');
    const perA = await burst(5, { host: BOUND, path: '/per-a' }, (o) => pg.gw.request(o), SOURCES);
    const perADev = await burst(5, { host: BOUND, path: '/per-a', headers: { 'X-Stage': 'DEV' } }, (o) => pg.gw.request(o), SOURCES);
    const perB = await burst(5, { host: BOUND, path: '/per-b' }, (o) => pg.gw.request(o), SOURCES);
    expect([tally(perA), tally(perADev), tally(perB)]).toEqual([{ 200: 3, 429: 2 }, { 200: 3, 429: 2 }, { 200: 3, 429: 2 }]);
    const sharedA = await burst(3, { host: BOUND, path: '/shared-a' }, (o) => pg.gw.request(o), SOURCES);
    const sharedB = await burst(3, { host: BOUND, path: '/shared-b' }, (o) => pg.gw.request(o), SOURCES);
    expect(tally([...sharedA, ...sharedB])).toEqual({ 200: 4, 429: 2 });
  });

  it('shows its tightest counter in the answering Envoy in debug mode', async () => {
    await setUp(api('debug-ip') + throttle('debug-ip', '{kind: Api, name: debug-ip}', '  limits: {api: 1000, ip: 500}'), 'debug-ip');
    const ip = await request('/debug-ip', { headers: DEBUG, localAddress: '127.0.0.12' });
    expect([ip.status, ip.headers['x-apig-ratelimit-ip']]).toEqual([200, 'remain:499,limit:500,time:1 minute']);
    await setUp(api('debug-api') + throttle('debug-api', '{kind: Api, name: debug-api}', '  window: {unit: SECOND}\n  limits: {api: 3}'), 'debug-api');
    const api3 = await request('/debug-api', { headers: DEBUG });
    expect([api3.status, api3.headers['x-apig-ratelimit-api']]).toEqual([200, 'remain:2,limit:3,time:1 second']);
    expect(Object.keys(api3.headers).filter((h) => h.startsWith('x-ratelimit') || h.startsWith('x-envoy'))).toEqual([]);
  });

  it('splits each limit among the connected Envoys within a second, and the fleet admits at most limit + R - 1', async () => {
    await setUp(api('replicas') + throttle('replicas', '{kind: Api, name: replicas}', '  window: {unit: MINUTE}\n  limits: {api: 7}'), 'replicas');
    const key = `${pg.gw.namespace}/replicas RELEASE/replicas`;
    expect((await shares(pg.gw.envoy.admin)).get(key)).toBe(7);
    const second: Envoy = await startGatewayEnvoy({ dir: pg.gw.dir, xdsPort: pg.gw.operator.xdsPort, name: 'envoy-b' });
    try {
      await waitFor(async () => (await (await fetch(`${second.admin}/listeners`)).text()).includes('http::'), { what: 'envoy-b listening' });
      // ceil(7 / 2) = 4 in both, pushed when envoy-b connected (its listener comes after that).
      await waitFor(async () => (await shares(pg.gw.envoy.admin)).get(key) === 4 && (await shares(second.admin)).get(key) === 4,
        { what: 'both Envoys at a share of 4', timeoutMs: 1_000, intervalMs: 20 });
      const before = await Promise.all([pg.gw.envoy.admin, second.admin].map(fastCounts));
      // One listening port, two Envoys (SO_REUSEPORT): the kernel spreads the connections.
      const replies = await burst(40, { host: BOUND, path: '/replicas' }, callPort(pg.gw.operator.httpPort), SOURCES, 8);
      const after = await Promise.all([pg.gw.envoy.admin, second.admin].map(fastCounts));
      const admitted = after.map((n, i) => n.ok - (before[i]?.ok ?? 0));
      expect(tally(replies)[200]).toBeLessThanOrEqual(7 + 2 - 1);
      expect(admitted.every((n) => n <= 4)).toBe(true);
      expect(admitted.reduce((a, b) => a + b, 0)).toBe(tally(replies)[200]);
    } finally {
      await second.stop();
    }
    // envoy-b gone: the one left holds the whole limit again.
    await waitFor(async () => (await shares(pg.gw.envoy.admin)).get(key) === 7, { what: 'the share back at 7', timeoutMs: 1_000, intervalMs: 20 });
  });

  it('switches a policy between Fast and Exact under traffic without dropping a call', async () => {
    await pg.gw.apply(api('switch'));
    await pg.gw.until({ host: BOUND, path: '/switch' }, (r) => r.status === 200);
    const statuses: number[] = [];
    const state = { running: true };
    const traffic = (async (): Promise<void> => {
      while (state.running) statuses.push((await request('/switch', { localAddress: '127.0.0.10' })).status);
    })();
    try {
      for (const precision of ['Fast', 'Exact', 'Fast', 'Exact']) {
        await setUp(throttle('switch', '{kind: Api, name: switch}', `  limits: {api: 100000}\n  precision: ${precision}`), 'switch');
        // Served in the mode asked for: Envoy holds a bucket for the policy only while it is Fast.
        const inEnvoy = (await shares(pg.gw.envoy.admin)).has(`${pg.gw.namespace}/switch RELEASE/switch`);
        expect([precision, inEnvoy]).toEqual([precision, precision === 'Fast']);
      }
      await pg.gw.remove('throttlepolicy', 'switch');
    } finally {
      state.running = false;
      await traffic;
    }
    expect(statuses.length).toBeGreaterThan(20);
    expect(tally(statuses.map((status) => ({ status, headers: {}, body: '' })))).toEqual({ 200: statuses.length });
  });
});
