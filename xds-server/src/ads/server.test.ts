// The gRPC glue, driven by a raw grpc-js client speaking the ADS wire format.
import * as grpc from '@grpc/grpc-js';
import { defaultRegistry, TYPE_URLS } from '../proto';
import { SnapshotCache } from '../snapshot';
import { world } from '../snapshot/fixtures';
import { AckTracker } from './events';
import { XdsCodec, type DiscoveryRequest, type DiscoveryResponse } from './messages';
import { AdsServer } from './server';
import { EventLog } from './testing/event-log';
import { sotw } from './testing/requests';
import { waitFor } from './testing/wait';

const codec = new XdsCodec(defaultRegistry());
const PATH = '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources';

interface RawStream {
  readonly responses: DiscoveryResponse[];
  readonly status: Promise<grpc.StatusObject>;
  send(request: DiscoveryRequest): void;
  end(): void;
}

function open(client: grpc.Client): RawStream {
  const call = client.makeBidiStreamRequest(PATH, (r: DiscoveryRequest) => codec.encodeRequest(r), (b: Buffer) => codec.decodeResponse(b));
  const responses: DiscoveryResponse[] = [];
  call.on('data', (r: DiscoveryResponse) => responses.push(r));
  call.on('error', () => undefined); // the status promise reports it
  const status = new Promise<grpc.StatusObject>((resolve) => { call.on('status', resolve); });
  return { responses, status, send: (r) => { call.write(r); }, end: () => { call.end(); } };
}

describe('AdsServer (gRPC)', () => {
  const cache = new SnapshotCache();
  let ads: AdsServer;
  let log: EventLog;
  let client: grpc.Client;

  beforeAll(async () => {
    ads = new AdsServer({ cache });
    log = new EventLog(ads);
    const port = await ads.listen('127.0.0.1:0');
    client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  afterAll(async () => {
    client.close();
    log.close();
    await ads.close();
  });

  it('rejects a stream whose first request has no node, or a node without a fleet', async () => {
    const noNode = open(client);
    noNode.send({ ...sotw(TYPE_URLS.cluster), node: undefined });
    expect(await noNode.status).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: 'the first request on a stream must carry node.id' });
    const noFleet = open(client);
    noFleet.send({ ...sotw(TYPE_URLS.cluster), node: { id: 'n', cluster: '', user_agent_name: '' } });
    expect(await noFleet.status).toMatchObject({ code: grpc.status.INVALID_ARGUMENT, details: 'node n has no fleet (set node.cluster)' });
  });

  it('serves the fleet snapshot, reads the node only from the first request, and reports the stream lifecycle', async () => {
    const snap = cache.set('fleet', world({ listenerPort: 1, clusters: ['a'], endpoint: { address: '127.0.0.1', port: 2 } }));
    if (snap.status !== 'updated') throw new Error(snap.status);
    const stream = open(client);
    stream.send(sotw(TYPE_URLS.cluster));
    const [cds] = await waitFor(() => stream.responses.length === 1 && stream.responses, { what: 'the CDS response' });
    expect(cds?.version_info).toBe(snap.snapshot.types.get(TYPE_URLS.cluster)?.version);
    stream.send({ ...sotw(TYPE_URLS.cluster, { nonce: cds?.nonce ?? '', version: cds?.version_info ?? '' }), node: undefined });
    await log.waitForAck('the CDS ACK', (e) => e.ack && e.nodeId === 'node-1');
    expect(ads.tracker.node('node-1')).toMatchObject({ fleet: 'fleet', streams: 1 });
    stream.end();
    expect((await stream.status).code).toBe(grpc.status.OK);
    await waitFor(() => ads.tracker.node('node-1')?.streams === 0, { what: 'the disconnect' });
  });
});

describe('AckTracker', () => {
  const base = { nodeId: 'n', fleet: 'f', protocol: 'sotw' as const, streamId: 's', typeUrl: TYPE_URLS.cluster, nonce: '1', resourceNames: ['a'], removedResourceNames: [], resumed: false };

  it('keeps the latest ACK and NACK per node and type; a later ACK clears the NACK', () => {
    const t = new AckTracker();
    t.record({ ...base, kind: 'ack', ack: true, version: 'v1', snapshotVersion: 's1' });
    t.record({ ...base, kind: 'nack', ack: false, version: 'v2', snapshotVersion: 's2', errorMessage: 'bad' });
    expect(t.node('n')?.types.get(TYPE_URLS.cluster)).toEqual({
      acked: { version: 'v1', snapshotVersion: 's1', resourceNames: ['a'] },
      nacked: { version: 'v2', snapshotVersion: 's2', resourceNames: ['a'], errorMessage: 'bad' },
    });
    t.record({ ...base, kind: 'ack', ack: true, version: 'v3', snapshotVersion: 's3' });
    expect(t.node('n')?.types.get(TYPE_URLS.cluster)).toEqual({ acked: { version: 'v3', snapshotVersion: 's3', resourceNames: ['a'] } });
  });

  it('takes the ACK of a part of an update for no version: the NACK stays until a whole update is ACKed', () => {
    const t = new AckTracker();
    t.record({ ...base, kind: 'ack', ack: true, version: 'v1', snapshotVersion: 's1' });
    t.record({ ...base, kind: 'nack', ack: false, version: 'v2', snapshotVersion: 's2', errorMessage: 'bad' });
    t.record({ ...base, kind: 'ack', ack: true, version: 'v2', snapshotVersion: 's2', partial: true });
    expect(t.node('n')?.types.get(TYPE_URLS.cluster)?.nacked?.version).toBe('v2');
    expect(t.node('n')?.types.get(TYPE_URLS.cluster)?.acked?.version).toBe('v1');
  });

  it('counts streams, remembers the synced snapshot, and lists nodes by fleet', () => {
    const t = new AckTracker();
    const stream = { nodeId: 'n', fleet: 'f', protocol: 'delta' as const, streamId: 's' };
    t.record({ kind: 'connected', ...stream });
    t.record({ kind: 'synced', ...stream, snapshotVersion: 's1', typeUrls: [TYPE_URLS.cluster] });
    t.record({ kind: 'connected', ...stream, nodeId: 'm', fleet: 'g' });
    expect(t.list('f').map((n) => [n.nodeId, n.streams, n.syncedSnapshotVersion, n.syncedTypeUrls])).toEqual([['n', 1, 's1', [TYPE_URLS.cluster]]]);
    t.record({ kind: 'disconnected', ...stream });
    expect(t.node('n')?.streams).toBe(0);
    expect(t.list().map((n) => n.nodeId)).toEqual(['m', 'n']);
  });
});
