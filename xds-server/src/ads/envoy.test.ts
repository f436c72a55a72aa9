// The real Envoy (1.36) against our ADS server, over SotW (GRPC) and Delta (DELTA_GRPC).
import { envoyBootstrap } from '../bootstrap/bootstrap';
import { TYPE_URLS, type JsonObject } from '../proto';
import { SnapshotCache, type ResourceInput, type Snapshot } from '../snapshot';
import { edsCluster, httpListener, loadAssignment, resourceInput, routeConfiguration, type RouteSpec } from '../snapshot/fixtures';
import { AdsServer } from './server';
import { configDump, envoyStat, freePort, startEnvoy, type EnvoyProcess } from './testing/envoy';
import { EventLog } from './testing/event-log';
import { get, startHttpBackend, type HttpBackend } from './testing/http-backend';
import { waitFor } from './testing/wait';

const { listener: LDS, routeConfiguration: RDS, cluster: CDS, clusterLoadAssignment: EDS } = TYPE_URLS;
const ALL = [CDS, EDS, LDS, RDS];

interface DumpEntry {
  readonly '@type': string;
  readonly dynamic_active_clusters?: readonly { readonly version_info: string; readonly cluster: { readonly name: string } }[];
  readonly dynamic_listeners?: readonly { readonly name: string; readonly active_state?: { readonly version_info: string } }[];
  readonly dynamic_route_configs?: readonly { readonly version_info: string; readonly route_config: { readonly name: string } }[];
}

async function dump(envoy: EnvoyProcess, kind: string): Promise<DumpEntry> {
  const all = (await configDump(envoy)) as { configs: readonly DumpEntry[] };
  const entry = all.configs.find((c) => c['@type'].endsWith(`.${kind}`));
  if (entry === undefined) throw new Error(`no ${kind} in config_dump`);
  return entry;
}

async function clusterNames(envoy: EnvoyProcess): Promise<string[]> {
  return ((await dump(envoy, 'ClustersConfigDump')).dynamic_active_clusters ?? []).map((c) => c.cluster.name).sort();
}

describe.each([['GRPC', 'sotw'], ['DELTA_GRPC', 'delta']] as const)('ADS with Envoy, api_type %s', (apiType, protocol) => {
  const fleet = `envoy-${protocol}`;
  const nodeId = `envoy-${protocol}-1`;
  const cache = new SnapshotCache();
  /** Cluster name → the backend its endpoints point at. */
  const backends = new Map<string, HttpBackend>();
  const started: HttpBackend[] = [];
  let ads: AdsServer;
  let adsPort: number;
  let log: EventLog;
  let envoy: EnvoyProcess;
  let listenerPort: number;

  function world(routes: readonly RouteSpec[], clusters: readonly string[], listener?: (l: JsonObject) => JsonObject): ResourceInput {
    const base = httpListener('http', listenerPort, 'routes');
    return resourceInput({
      [LDS]: [listener === undefined ? base : listener(base)],
      [RDS]: [routeConfiguration('routes', routes)],
      [CDS]: clusters.map(edsCluster),
      [EDS]: clusters.map((c) => loadAssignment(c, [{ address: '127.0.0.1', port: backends.get(c)?.port ?? 1 }])),
    });
  }

  function set(input: ResourceInput): Snapshot {
    const result = cache.set(fleet, input);
    if (result.status !== 'updated') throw new Error(`snapshot ${result.status}: ${JSON.stringify(result)}`);
    return result.snapshot;
  }

  beforeAll(async () => {
    for (const name of ['a', 'b']) {
      const backend = await startHttpBackend(`backend-${name}`);
      started.push(backend);
      backends.set(name, backend);
    }
    ads = new AdsServer({ cache });
    log = new EventLog(ads);
    adsPort = await ads.listen('127.0.0.1:0');
    listenerPort = await freePort();
    envoy = await startEnvoy(envoyBootstrap({ nodeId, fleet, xdsHost: '127.0.0.1', xdsPort: adsPort, apiType }), fleet);
  });

  afterAll(async () => {
    await envoy.stop();
    log.close();
    await ads.close();
    for (const backend of started) await backend.stop();
  });

  it('ACKs CDS, EDS, LDS and RDS (events and /config_dump agree) and routes traffic', async () => {
    const snapshot = set(world([{ prefix: '/', cluster: 'a' }], ['a']));
    await log.waitForSynced(nodeId, snapshot.version, ALL);
    await log.waitForSnapshotAcked(nodeId, snapshot.version, ALL);
    expect(ads.tracker.node(nodeId)?.syncedSnapshotVersion).toBe(snapshot.version);
    expect(log.acks().every((e) => e.ack && e.protocol === protocol && e.fleet === fleet)).toBe(true);
    expect(log.sent().map((e) => e.typeUrl)).toEqual(ALL);
    const reply = await waitFor(async () => { const r = await get(`http://127.0.0.1:${listenerPort}/`); return r.status === 200 && r; }, { what: 'traffic through Envoy' });
    expect(reply.body).toBe('backend-a');

    const versionOf = (t: string, name: string): string | undefined => (protocol === 'sotw' ? snapshot.types.get(t)?.version : snapshot.types.get(t)?.resources.get(name)?.hash);
    expect((await dump(envoy, 'ClustersConfigDump')).dynamic_active_clusters?.map((c) => [c.cluster.name, c.version_info])).toEqual([['a', versionOf(CDS, 'a')]]);
    expect((await dump(envoy, 'ListenersConfigDump')).dynamic_listeners?.map((l) => [l.name, l.active_state?.version_info])).toEqual([['http', versionOf(LDS, 'http')]]);
    expect((await dump(envoy, 'RoutesConfigDump')).dynamic_route_configs?.map((r) => [r.route_config.name, r.version_info])).toEqual([['routes', versionOf(RDS, 'routes')]]);
  });

  it('moves routes to a new cluster under traffic without a single failed request or missing-cluster warning', async () => {
    const logOffset = envoy.logSize();
    const mark = log.mark();
    const statuses = new Map<string, number>();
    const stop = { now: false };
    const traffic = (async (): Promise<void> => {
      while (!stop.now) {
        const r = await get(`http://127.0.0.1:${listenerPort}/`);
        const key = `${r.status} ${r.body}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      }
    })();
    // The switch happens under traffic: only once requests are flowing to the old cluster.
    await waitFor(() => (statuses.get('200 backend-a') ?? 0) > 0, { what: 'traffic to reach backend-a' });
    const next = set(world([{ prefix: '/', cluster: 'b' }], ['b']));
    await log.waitForSynced(nodeId, next.version, ALL, mark);
    await log.waitForSnapshotAcked(nodeId, next.version, [CDS, EDS, RDS], mark);
    await waitFor(async () => (await clusterNames(envoy)).join() === 'b', { what: 'cluster a to be removed' });
    await waitFor(() => (statuses.get('200 backend-b') ?? 0) > 0, { what: 'traffic to reach backend-b' });
    stop.now = true;
    await traffic;

    expect([...statuses.keys()].sort()).toEqual(['200 backend-a', '200 backend-b']);
    // Clusters first, routes next, removals last.
    const order = log.sent(mark).map((e) => `${e.typeUrl.split('.').pop() ?? ''}:${e.resourceNames.join(',')}-${e.removedResourceNames.join(',')}`);
    const rds = order.findIndex((o) => o.startsWith('RouteConfiguration'));
    expect(order.findIndex((o) => o.startsWith('Cluster:') && o.includes('b'))).toBeLessThan(rds);
    expect(order.findIndex((o) => o.startsWith('ClusterLoadAssignment:') && o.includes('b'))).toBeLessThan(rds);
    const removal = protocol === 'sotw' ? order.findIndex((o) => o === 'Cluster:b-') : order.findIndex((o) => o === 'Cluster:-a');
    expect(removal).toBeGreaterThan(rds);
    expect(await envoyStat(envoy, 'http.http.no_cluster')).toBe(0);
    expect(await envoyStat(envoy, 'cluster_manager.warming_clusters')).toBe(0);
    // No warning or error at all while moving (a missing cluster, an initial fetch timeout, …).
    expect(envoy.logSince(logOffset).split('\n').filter((l) => /\]\[(warning|error|critical)\]/.test(l))).toEqual([]);
  });

  it('reports Envoy\'s NACK with its message, keeps the previous listener serving, and does not resend it', async () => {
    const mark = log.mark();
    const before = (await dump(envoy, 'ListenersConfigDump')).dynamic_listeners?.[0]?.active_state?.version_info;
    const duplicateChains = (l: JsonObject): JsonObject => {
      const chains = l['filter_chains'] as readonly JsonObject[];
      return { ...l, filter_chains: [...chains, ...chains] };
    };
    const bad = set(world([{ prefix: '/', cluster: 'b' }], ['b'], duplicateChains));
    const nack = await log.waitForAck('Envoy to NACK the listener', (e) => !e.ack && e.typeUrl === LDS, mark);
    expect(nack).toMatchObject({ nodeId, fleet, snapshotVersion: bad.version, resourceNames: ['http'] });
    expect(nack.errorMessage).toMatch(/error adding listener .*has the same matching rules defined as/);
    expect(await envoyStat(envoy, 'listener_manager.lds.update_rejected')).toBeGreaterThanOrEqual(1);
    expect((await dump(envoy, 'ListenersConfigDump')).dynamic_listeners?.[0]?.active_state?.version_info).toBe(before);
    expect(await get(`http://127.0.0.1:${listenerPort}/`)).toEqual({ status: 200, body: 'backend-b' });

    // Endpoints change: EDS flows; the NACKed listener is not resent.
    const afterNack = log.mark();
    backends.set('b', backends.get('a') as HttpBackend);
    const moved = set(world([{ prefix: '/', cluster: 'b' }], ['b'], duplicateChains));
    await log.waitForAck('the EDS ACK', (e) => e.ack && e.typeUrl === EDS && e.snapshotVersion === moved.version, afterNack);
    expect(log.sent(afterNack).map((e) => e.typeUrl)).toEqual([EDS]);
    await waitFor(async () => (await get(`http://127.0.0.1:${listenerPort}/`)).body === 'backend-a', { what: 'b to point at backend-a' });

    // A fixed listener is pushed and ACKed.
    const fixedMark = log.mark();
    const fixed = set(world([{ prefix: '/', cluster: 'b' }], ['b'], (l) => ({ ...l, stat_prefix: 'fixed' })));
    await log.waitForSnapshotAcked(nodeId, fixed.version, [LDS], fixedMark);
    expect(log.acks(fixedMark).filter((e) => !e.ack)).toEqual([]);
  });

  it('pushes nothing Envoy already has when the control plane restarts with the same snapshot', async () => {
    const served = cache.get(fleet);
    if (served === undefined) throw new Error('no snapshot');
    await ads.close();
    log.close();
    ads = new AdsServer({ cache });
    log = new EventLog(ads);
    await ads.listen(`127.0.0.1:${adsPort}`);
    await log.waitForSynced(nodeId, served.version, ALL);
    // SotW: LDS and CDS resume from the version Envoy reports; EDS and RDS (explicit names) are
    // resent, as the protocol requires. Delta: initial_resource_versions cover everything.
    expect(log.sent().map((e) => e.typeUrl).sort()).toEqual(protocol === 'sotw' ? [EDS, RDS] : []);
    expect(log.acks().filter((e) => e.resumed).map((e) => e.typeUrl).sort()).toEqual(protocol === 'sotw' ? [CDS, LDS] : []);
    expect(await get(`http://127.0.0.1:${listenerPort}/`)).toEqual({ status: 200, body: 'backend-a' });
  });
});
