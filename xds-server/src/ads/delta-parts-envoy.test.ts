// A Delta update larger than the response budget, served by our ADS server to a real Envoy (1.36)
// in parts: each part once the previous one is ACKed, the type's version acknowledged only with
// the last part. The budget is one byte here, so every resource is a part of its own.
import { envoyBootstrap } from '../bootstrap/bootstrap';
import type { ApiGroupIR } from '../ir';
import { TYPE_URLS } from '../proto';
import { SnapshotCache, type Snapshot } from '../snapshot';
import { translateIR } from '../translate';
import { gateway, group, mock, route } from '../translate/testing/builder';
import { call } from '../translate/testing/serve';
import { AdsServer } from './server';
import { freePort, startEnvoy, type EnvoyProcess } from './testing/envoy';
import { EventLog } from './testing/event-log';
import { waitFor } from './testing/wait';

const { listener: LDS, routeConfiguration: RDS, scopedRouteConfiguration: SRDS } = TYPE_URLS;
const fleet = 'parts';
const nodeId = 'parts-1';
const names = ['a', 'b', 'c'];

const shopGroup = (name: string, body: string): ApiGroupIR => group(name, [route(name, { path: `/${name}`, backend: mock(200, body) })]);

describe('Delta updates in parts, with Envoy', () => {
  const cache = new SnapshotCache();
  let ads: AdsServer;
  let log: EventLog;
  let envoy: EnvoyProcess;
  let listenerPort: number;

  function set(body: string): Snapshot {
    const result = cache.set(fleet, translateIR(gateway({ http: { address: '127.0.0.1', port: listenerPort }, groups: names.map((n) => shopGroup(n, `${n}-${body}`)) })));
    if (result.status !== 'updated') throw new Error(`snapshot ${result.status}`);
    return result.snapshot;
  }

  const answers = async (): Promise<string[]> => Promise.all(names.map(async (n) => (await call({ port: listenerPort, host: `${n}.shop.apis.example.test`, path: `/${n}` })).body));
  const rdsAcked = (): string | undefined => ads.tracker.node(nodeId)?.types.get(RDS)?.acked?.version;

  beforeAll(async () => {
    ads = new AdsServer({ cache, maxDeltaResponseBytes: 1 });
    log = new EventLog(ads);
    const adsPort = await ads.listen('127.0.0.1:0');
    listenerPort = await freePort();
    envoy = await startEnvoy(envoyBootstrap({ nodeId, fleet, xdsHost: '127.0.0.1', xdsPort: adsPort, apiType: 'DELTA_GRPC' }), fleet);
  });

  afterAll(async () => {
    await envoy.stop();
    log.close();
    await ads.close();
  });

  it('serves a first sync sent one resource per response', async () => {
    const snapshot = set('v1');
    await log.waitForSynced(nodeId, snapshot.version, [LDS, RDS, SRDS]);
    await waitFor(async () => (await answers()).join() === 'a-v1,b-v1,c-v1', { what: 'every group to be served' });
    const sent = log.sent().filter((e) => e.typeUrl === RDS || e.typeUrl === SRDS);
    expect(sent.every((e) => e.resourceNames.length <= 1)).toBe(true);
    expect(rdsAcked()).toBe(snapshot.types.get(RDS)?.version);
  });

  it('sends an edit of every group as parts, and the version is ACKed with the last one only', async () => {
    const mark = log.mark();
    const before = rdsAcked();
    const snapshot = set('v2');
    await log.waitForSynced(nodeId, snapshot.version, [LDS, RDS, SRDS], mark);
    const parts = log.sent(mark).filter((e) => e.typeUrl === RDS).map((e) => `${e.resourceNames.join()}${e.partial === true ? ' (part)' : ''}`);
    expect(parts).toEqual(['http/shop/a (part)', 'http/shop/b (part)', 'http/shop/c']);
    // The parts' ACKs left the RDS version where it was until the last one.
    const acks = log.acks(mark).filter((e) => e.typeUrl === RDS);
    expect(acks.map((e) => [e.ack, e.partial === true])).toEqual([[true, true], [true, true], [true, false]]);
    expect(before).not.toBe(rdsAcked());
    expect(rdsAcked()).toBe(snapshot.types.get(RDS)?.version);
    expect(await answers()).toEqual(['a-v2', 'b-v2', 'c-v2']);
  });
});
