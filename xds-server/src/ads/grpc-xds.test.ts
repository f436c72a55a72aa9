// @grpc/grpc-js-xds as an independent SotW client: a real channel resolves xds:///echo-target
// through our ADS server (LDS api_listener → RDS → CDS → EDS) and makes real RPCs to a real server.
import * as grpc from '@grpc/grpc-js';
import * as grpcXds from '@grpc/grpc-js-xds';
import { defaultRegistry, isJsonObject, TYPE_URLS, type JsonObject, type JsonValue } from '../proto';
import { SnapshotCache, type ResourceInput } from '../snapshot';
import { apiListener, edsCluster, loadAssignment, resourceInput, routeConfiguration } from '../snapshot/fixtures';
import { AdsServer } from './server';
import { EventLog } from './testing/event-log';
import { ECHO_PATH, startEchoServer, unary, type EchoServer } from './testing/grpc-echo';
import { waitFor } from './testing/wait';

const { listener: LDS, routeConfiguration: RDS, cluster: CDS, clusterLoadAssignment: EDS } = TYPE_URLS;
const FLEET = 'grpc-clients';
const NODE_ID = 'grpc-client-1';
const TARGET = 'echo-target';
const CORS_FILTER: JsonObject = { name: 'envoy.filters.http.cors', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors' } };

function world(echoPort: number, options: { weight?: number; badListener?: boolean; optionalFilter?: boolean } = {}): ResourceInput {
  const cla = loadAssignment('echo', [{ address: '127.0.0.1', port: echoPort }]);
  const endpoints = (cla['endpoints'] as JsonObject[]).map((e) => ({ ...e, load_balancing_weight: options.weight ?? 1 }));
  return resourceInput({
    [LDS]: [apiListener(TARGET, 'echo-routes', [
      ...(options.badListener === true ? [CORS_FILTER] : []),
      // gRPC skips filters it does not know only when they are marked optional.
      ...(options.optionalFilter === true ? [{ ...CORS_FILTER, is_optional: true }] : []),
    ])],
    [RDS]: [routeConfiguration('echo-routes', [{ prefix: '', cluster: 'echo' }])],
    [CDS]: [edsCluster('echo')],
    [EDS]: [{ ...cla, endpoints }],
  });
}

/** CSDS (the client's own view of its xDS resources), fetched from the admin service in this process. */
async function csds(adminPort: number): Promise<JsonValue[]> {
  const registry = defaultRegistry();
  const request = registry.encodeMessage('type.googleapis.com/envoy.service.status.v3.ClientStatusRequest', {});
  const client = new grpc.Client(`127.0.0.1:${adminPort}`, grpc.credentials.createInsecure());
  try {
    const reply = await unary(client, '/envoy.service.status.v3.ClientStatusDiscoveryService/FetchClientStatus', Buffer.from(request));
    const status = registry.decodeMessage('type.googleapis.com/envoy.service.status.v3.ClientStatusResponse', reply);
    const configs = (status['config'] ?? []) as JsonValue[];
    return configs.flatMap((c) => (isJsonObject(c) ? ((c['generic_xds_configs'] ?? []) as JsonValue[]) : []));
  } finally {
    client.close();
  }
}

function listenerStatus(configs: readonly JsonValue[]): JsonObject | undefined {
  // grpc-js-xds reports type URLs without the type.googleapis.com/ prefix.
  return configs.find((c): c is JsonObject => isJsonObject(c) && typeof c['type_url'] === 'string' && LDS.endsWith(c['type_url']) && c['name'] === TARGET);
}

describe('ADS with @grpc/grpc-js-xds (SotW, real RPCs)', () => {
  let echo: EchoServer;
  let ads: AdsServer;
  let log: EventLog;
  let client: grpc.Client;
  const cache = new SnapshotCache();

  beforeAll(async () => {
    grpcXds.register(); // also registers CSDS among the admin services, so it precedes the echo server
    echo = await startEchoServer('echo', true);
    ads = new AdsServer({ cache });
    log = new EventLog(ads);
    const adsPort = await ads.listen('127.0.0.1:0');
    process.env['GRPC_XDS_BOOTSTRAP_CONFIG'] = JSON.stringify({
      xds_servers: [{ server_uri: `127.0.0.1:${adsPort}`, channel_creds: [{ type: 'insecure' }], server_features: ['ignore_resource_deletion'] }],
      node: { id: NODE_ID, cluster: FLEET, locality: { zone: 'z1' } },
    });
    client = new grpc.Client(`xds:///${TARGET}`, grpc.credentials.createInsecure());
  });

  afterAll(async () => {
    client.close();
    log.close();
    await ads.close();
    await echo.stop();
  });

  it('resolves the target through LDS → RDS → CDS → EDS, makes a real RPC, and reports every ACK', async () => {
    const set = cache.set(FLEET, world(echo.port));
    if (set.status !== 'updated') throw new Error(set.status);
    const reply = await waitFor(() => unary(client, ECHO_PATH, Buffer.from('hi')), { what: 'an RPC through xds:///echo-target' });
    expect(reply.toString()).toBe('echo:hi');
    await log.waitForSnapshotAcked(NODE_ID, set.snapshot.version, [LDS, RDS, CDS, EDS]);
    const acked = log.acks().filter((e) => e.ack && e.nodeId === NODE_ID);
    expect(Object.fromEntries(acked.map((e) => [e.typeUrl, e.resourceNames]))).toEqual({
      [LDS]: [TARGET], [RDS]: ['echo-routes'], [CDS]: ['echo'], [EDS]: ['echo'],
    });
    expect(acked.every((e) => e.fleet === FLEET && e.protocol === 'sotw')).toBe(true);
    expect(ads.tracker.node(NODE_ID)?.types.get(LDS)?.acked?.version).toBe(set.snapshot.types.get(LDS)?.version);
  });

  it('reports a NACK with the client\'s message, does not resend it until the listener changes, and keeps serving', async () => {
    const mark = log.mark();
    const bad = cache.set(FLEET, world(echo.port, { badListener: true }));
    if (bad.status !== 'updated') throw new Error(bad.status);
    const nack = await log.waitForAck('the LDS NACK', (e) => !e.ack && e.typeUrl === LDS, mark);
    expect(nack).toMatchObject({ nodeId: NODE_ID, fleet: FLEET, version: bad.snapshot.types.get(LDS)?.version, resourceNames: [TARGET] });
    expect(nack.errorMessage).toContain('envoy.filters.http.cors');
    expect(ads.tracker.node(NODE_ID)?.types.get(LDS)?.nacked?.errorMessage).toBe(nack.errorMessage);
    // The client's own view (CSDS) agrees: the listener is NACKed with the same details.
    const status = await waitFor(async () => listenerStatus(await csds(echo.port)), { what: 'CSDS listener status' });
    expect(status['client_status']).toBe('NACKED');
    expect(JSON.stringify(status['error_state'])).toContain('envoy.filters.http.cors');
    // The previous listener keeps working.
    expect((await unary(client, ECHO_PATH, Buffer.from('still'))).toString()).toBe('echo:still');

    // Another type changes: its update flows, the NACKed listener is not resent.
    const afterNack = log.mark();
    const weights = cache.set(FLEET, world(echo.port, { badListener: true, weight: 5 }));
    if (weights.status !== 'updated') throw new Error(weights.status);
    await log.waitForAck('the EDS ACK', (e) => e.ack && e.typeUrl === EDS && e.snapshotVersion === weights.snapshot.version, afterNack);
    expect(log.sent(afterNack).map((e) => e.typeUrl)).toEqual([EDS]);

    // The listener changes (the filter is made optional): it is sent and ACKed.
    const fixedMark = log.mark();
    const fixed = cache.set(FLEET, world(echo.port, { weight: 5, optionalFilter: true }));
    if (fixed.status !== 'updated') throw new Error(fixed.status);
    await log.waitForAck('the LDS ACK', (e) => e.ack && e.typeUrl === LDS && e.snapshotVersion === fixed.snapshot.version, fixedMark);
    await waitFor(async () => listenerStatus(await csds(echo.port))?.['client_status'] === 'ACKED', { what: 'CSDS to show the listener ACKED' });
    expect((await unary(client, ECHO_PATH, Buffer.from('again'))).toString()).toBe('echo:again');
  });
});
