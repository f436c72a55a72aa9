// Scoped RDS end to end: the translator's output served by our ADS server to a real Envoy (1.36),
// over SotW and Delta. An edit re-ships one group's RouteConfiguration; a removed group's scopes
// go before its route configuration.
import { envoyBootstrap } from '../bootstrap/bootstrap';
import type { ApiGroupIR } from '../ir';
import { TYPE_URLS } from '../proto';
import { SnapshotCache, type Snapshot } from '../snapshot';
import { translateIR } from '../translate';
import { gateway, group, mock, route } from '../translate/testing/builder';
import { call } from '../translate/testing/serve';
import { AdsServer } from './server';
import { configDump, freePort, startEnvoy, type EnvoyProcess } from './testing/envoy';
import { EventLog } from './testing/event-log';
import { waitFor } from './testing/wait';

const { listener: LDS, routeConfiguration: RDS, scopedRouteConfiguration: SRDS } = TYPE_URLS;

interface RoutesDump {
  readonly dynamic_route_configs?: readonly { readonly version_info: string; readonly route_config: { readonly name: string } }[];
}

const shopGroup = (name: string, body: string): ApiGroupIR => group(name, [route(name, { path: `/${name}`, backend: mock(200, body) })]);
const host = (name: string): string => `${name}.shop.apis.example.test`;

describe.each([['GRPC', 'sotw'], ['DELTA_GRPC', 'delta']] as const)('Scoped RDS with Envoy, api_type %s', (apiType, protocol) => {
  const fleet = `srds-${protocol}`;
  const nodeId = `srds-${protocol}-1`;
  const cache = new SnapshotCache();
  const [a, b, c] = [shopGroup('a', 'a1'), shopGroup('b', 'b1'), shopGroup('c', 'c1')];
  let ads: AdsServer;
  let log: EventLog;
  let envoy: EnvoyProcess;
  let listenerPort: number;

  function set(groups: readonly ApiGroupIR[]): Snapshot {
    const result = cache.set(fleet, translateIR(gateway({ http: { address: '127.0.0.1', port: listenerPort }, groups })));
    if (result.status !== 'updated') throw new Error(`snapshot ${result.status}: ${JSON.stringify(result)}`);
    return result.snapshot;
  }

  const answer = async (name: string): Promise<string> => {
    const reply = await call({ port: listenerPort, host: host(name), path: `/${name}` });
    return `${reply.status} ${reply.status === 404 ? (JSON.parse(reply.body) as { error_code: string }).error_code : reply.body}`;
  };

  async function routeVersions(): Promise<Map<string, string>> {
    const all = (await configDump(envoy)) as { configs: readonly (RoutesDump & { '@type': string })[] };
    const routes = all.configs.find((entry) => entry['@type'].endsWith('.RoutesConfigDump'));
    return new Map((routes?.dynamic_route_configs ?? []).map((r) => [r.route_config.name, r.version_info]));
  }

  beforeAll(async () => {
    ads = new AdsServer({ cache });
    log = new EventLog(ads);
    const adsPort = await ads.listen('127.0.0.1:0');
    listenerPort = await freePort();
    envoy = await startEnvoy(envoyBootstrap({ nodeId, fleet, xdsHost: '127.0.0.1', xdsPort: adsPort, apiType }), fleet);
  });

  afterAll(async () => {
    await envoy.stop();
    log.close();
    await ads.close();
  });

  it('serves each group on its own host; an unknown host gets 404 APIG.0101', async () => {
    const snapshot = set([a, b, c]);
    await log.waitForSynced(nodeId, snapshot.version, [LDS, RDS, SRDS]);
    await waitFor(async () => (await answer('a')) === '200 a1' && (await answer('c')) === '200 c1', { what: 'the groups to be served' });
    expect(await answer('b')).toBe('200 b1');
    expect(await answer('nobody')).toBe('404 APIG.0101');
  });

  const warnings = (offset: number): string[] => envoy.logSince(offset).split('\n').filter((l) => /\]\[(warning|error|critical)\]/.test(l));

  it('an edit to one group re-ships only that group\'s RouteConfiguration and no scope', async () => {
    const logOffset = envoy.logSize();
    const before = await routeVersions();
    const mark = log.mark();
    const snapshot = set([shopGroup('a', 'a2'), b, c]);
    await log.waitForSynced(nodeId, snapshot.version, [LDS, RDS, SRDS], mark);
    await waitFor(async () => (await answer('a')) === '200 a2', { what: 'the edit to be served' });
    const sent = log.sent(mark);
    expect(sent.filter((e) => e.typeUrl === SRDS || e.typeUrl === LDS)).toEqual([]);
    // Delta sends the one changed resource; SotW must send every subscribed one, and Envoy keeps
    // the unchanged ones (same content hash) without rebuilding them.
    const shipped = sent.filter((e) => e.typeUrl === RDS).flatMap((e) => e.resourceNames);
    expect(shipped).toEqual(protocol === 'delta' ? ['http/shop/a'] : ['http/shop/a', 'http/shop/b', 'http/shop/c']);
    const after = await routeVersions();
    expect(after.get('http/shop/a')).not.toBe(before.get('http/shop/a'));
    expect([after.get('http/shop/b'), after.get('http/shop/c')]).toEqual([before.get('http/shop/b'), before.get('http/shop/c')]);
    expect(warnings(logOffset)).toEqual([]);
  });

  it('removes a group\'s scope before its route configuration', async () => {
    const logOffset = envoy.logSize();
    const mark = log.mark();
    const snapshot = set([shopGroup('a', 'a2'), b]);
    await log.waitForSynced(nodeId, snapshot.version, [LDS, RDS, SRDS], mark);
    await waitFor(async () => !(await routeVersions()).has('http/shop/c'), { what: 'Envoy to drop http/shop/c' });
    expect(await answer('c')).toBe('404 APIG.0101');
    expect(await answer('b')).toBe('200 b1');
    const sent = log.sent(mark);
    const scopeGone = sent.findIndex((e) => e.typeUrl === SRDS && (protocol === 'delta' ? e.removedResourceNames.includes(`http/${host('c')}`) : !e.resourceNames.includes(`http/${host('c')}`)));
    const routeGone = sent.findIndex((e) => e.typeUrl === RDS && (protocol === 'delta' ? e.removedResourceNames.includes('http/shop/c') : !e.resourceNames.includes('http/shop/c')));
    expect(scopeGone).toBeGreaterThanOrEqual(0);
    // Envoy unsubscribes from the route configuration once no scope names it: nothing to send then.
    if (routeGone !== -1) expect(routeGone).toBeGreaterThan(scopeGone);
    expect(warnings(logOffset)).toEqual([]);
  });

  it('adds a group: its scope goes first, Envoy then asks for its route configuration and serves it', async () => {
    const logOffset = envoy.logSize();
    const mark = log.mark();
    const snapshot = set([shopGroup('a', 'a2'), b, shopGroup('d', 'd1')]);
    await log.waitForSynced(nodeId, snapshot.version, [LDS, RDS, SRDS], mark);
    await waitFor(async () => (await answer('d')) === '200 d1', { what: 'the new group to be served' });
    const sent = log.sent(mark);
    const scope = sent.findIndex((e) => e.typeUrl === SRDS && e.resourceNames.includes(`http/${host('d')}`));
    const routes = sent.findIndex((e) => e.typeUrl === RDS && e.resourceNames.includes('http/shop/d'));
    expect([scope >= 0, routes > scope]).toEqual([true, true]);
    expect(warnings(logOffset)).toEqual([]);
  });
});
