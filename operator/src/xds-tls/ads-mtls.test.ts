// The ADS server with mutual TLS, driven by a raw grpc-js client: who gets a handshake, who gets the
// fleet's resources, and that a new server certificate leaves open streams alone.
import tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { AdsServer, defaultRegistry, fleetUri, peerFleets, RotatingServerTls, SnapshotCache, TYPE_URLS, XdsCodec, type DiscoveryRequest, type DiscoveryResponse } from '@turnpike/xds-server';
import { world } from '../../../xds-server/src/snapshot/fixtures';
import { createCa, issueLeaf, type CaPem } from '../pki';

const codec = new XdsCodec(defaultRegistry());
const PATH = '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources';
const HOUR = 3_600_000;
const validity = (): { notBefore: Date; notAfter: Date } => ({ notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + HOUR) });

function serverMaterial(ca: CaPem): { cert: string; key: string; ca: string } {
  return { ...issueLeaf(ca, { commonName: 'localhost', usage: 'server', validity: validity(), dnsNames: ['localhost'] }), ca: ca.cert };
}

function clientFor(port: number, ca: CaPem, identity?: { cert: string; key: string }): grpc.Client {
  const credentials = grpc.credentials.createSsl(Buffer.from(ca.cert), identity === undefined ? null : Buffer.from(identity.key), identity === undefined ? null : Buffer.from(identity.cert));
  return new grpc.Client(`localhost:${port}`, credentials);
}

function request(fleet: string): DiscoveryRequest {
  return { version_info: '', node: { id: `node-of-${fleet}`, cluster: fleet, user_agent_name: 'test' }, resource_names: [], type_url: TYPE_URLS.cluster, response_nonce: '', error_detail: undefined };
}

interface Stream {
  readonly responses: DiscoveryResponse[];
  readonly status: Promise<grpc.StatusObject>;
  settled(): boolean;
  ack(response: DiscoveryResponse | undefined): void;
}

function ask(client: grpc.Client, fleet: string): Stream {
  const call = client.makeBidiStreamRequest(PATH, (r: DiscoveryRequest) => codec.encodeRequest(r), (b: Buffer) => codec.decodeResponse(b));
  const responses: DiscoveryResponse[] = [];
  let done = false;
  call.on('data', (r: DiscoveryResponse) => responses.push(r));
  call.on('error', () => undefined);
  const status = new Promise<grpc.StatusObject>((resolve) => { call.on('status', (s: grpc.StatusObject) => { done = true; resolve(s); }); });
  call.write(request(fleet));
  const ack = (r: DiscoveryResponse | undefined): void => { call.write({ ...request(fleet), version_info: r?.version_info ?? '', response_nonce: r?.nonce ?? '' }); };
  return { responses, status, settled: () => done, ack };
}

async function until<T>(probe: () => T | undefined | false, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The serial number of the certificate the server presents now. */
function servedSerial(port: number, ca: CaPem, identity: { cert: string; key: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: ca.cert, cert: identity.cert, key: identity.key, ALPNProtocols: ['h2'] }, () => {
      resolve(socket.getPeerCertificate().serialNumber);
      socket.end();
    });
    socket.on('error', reject);
  });
}

describe('ADS with mutual TLS', () => {
  const ca = createCa('test xDS CA', validity());
  const otherCa = createCa('another CA', validity());
  const fleetA = issueLeaf(ca, { commonName: 'a', usage: 'client', validity: validity(), uris: [fleetUri('fleet-a')] });
  const fleetB = issueLeaf(ca, { commonName: 'b', usage: 'client', validity: validity(), uris: [fleetUri('fleet-b')] });
  const strangerA = issueLeaf(otherCa, { commonName: 'a', usage: 'client', validity: validity(), uris: [fleetUri('fleet-a')] });
  const cache = new SnapshotCache();
  const serverTls = new RotatingServerTls();
  const ads = new AdsServer({ cache, peerFleets });
  const clients: grpc.Client[] = [];
  let port = 0;
  const client = (identity?: { cert: string; key: string }): grpc.Client => {
    const c = clientFor(port, ca, identity);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    cache.set('fleet-a', world({ listenerPort: 1, clusters: ['a'], endpoint: { address: '127.0.0.1', port: 2 } }));
    serverTls.update(serverMaterial(ca));
    port = await ads.listen('127.0.0.1:0', serverTls.credentials);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await ads.close();
  });

  it('gives a client without a certificate, or with one of another CA, no handshake and nothing else', async () => {
    for (const c of [client(), client(strangerA)]) {
      const stream = ask(c, 'fleet-a');
      expect((await stream.status).code).toBe(grpc.status.UNAVAILABLE);
      expect(stream.responses).toEqual([]);
    }
    expect(ads.tracker.list('fleet-a')).toEqual([]);
  });

  it('closes a stream asking for a fleet its certificate does not name with PERMISSION_DENIED, before sending anything', async () => {
    const stream = ask(client(fleetB), 'fleet-a');
    expect(await stream.status).toMatchObject({
      code: grpc.status.PERMISSION_DENIED, details: 'node node-of-fleet-a asks for fleet fleet-a but its client certificate names fleet fleet-b',
    });
    expect(stream.responses).toEqual([]);
    expect(ads.tracker.list('fleet-a')).toEqual([]);
  });

  it('serves the fleet its certificate names, and keeps the stream open when the server certificate is renewed', async () => {
    const stream = ask(client(fleetA), 'fleet-a');
    const [cds] = await until(() => stream.responses.length > 0 && stream.responses, 'the CDS response');
    expect(cds?.type_url).toBe(TYPE_URLS.cluster);
    stream.ack(cds);
    const before = await servedSerial(port, ca, fleetA);
    serverTls.update(serverMaterial(ca));
    const after = await servedSerial(port, ca, fleetA);
    expect(after).not.toBe(before);
    cache.set('fleet-a', world({ listenerPort: 1, clusters: ['a', 'b'], endpoint: { address: '127.0.0.1', port: 2 } }));
    await until(() => stream.responses.length > 1, 'the next push on the same stream');
    expect(stream.settled()).toBe(false);
  });

  it('keeps the current certificate when handed a key that does not match it', () => {
    const current = serverTls.current;
    const other = serverMaterial(ca);
    expect(() => { serverTls.update({ ...other, key: fleetA.key }); }).toThrow();
    expect(serverTls.current).toBe(current);
  });
});
