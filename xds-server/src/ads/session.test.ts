import { decodeResource, TYPE_URLS } from '../proto';
import { world } from '../snapshot/fixtures';
import { DeltaChannel } from './delta-channel';
import type { AckEvent } from './events';
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse, DiscoveryRequest, DiscoveryResponse } from './messages';
import { Session } from './session';
import { SotwChannel } from './sotw-channel';
import { delta, sotw } from './testing/requests';
import { snapshotOf } from './testing/targets';

const { cluster: CDS, clusterLoadAssignment: EDS, listener: LDS, routeConfiguration: RDS } = TYPE_URLS;
const SHORT: Readonly<Record<string, string>> = { [CDS]: 'CDS', [EDS]: 'EDS', [LDS]: 'LDS', [RDS]: 'RDS' };
const stream = { nodeId: 'node-1', fleet: 'fleet', protocol: 'sotw' as const, streamId: 's1' };
const endpoint = { address: '127.0.0.1', port: 9000 };

function worldWith(clusters: readonly string[], port = 9000): ReturnType<typeof snapshotOf> {
  return snapshotOf(world({ listenerPort: 10000, clusters, endpoint: { ...endpoint, port } }));
}

function nameOf(any: { type_url: string; value: Uint8Array }): string {
  const json = decodeResource(any);
  const name = json['name'] ?? json['cluster_name'];
  return typeof name === 'string' ? name : '?';
}

/** "CDS a,b" for a SotW response. */
function show(res: DiscoveryResponse | undefined): string {
  return res === undefined ? 'nothing' : `${SHORT[res.type_url] ?? res.type_url} ${res.resources.map(nameOf).sort().join(',')}`;
}

function sotwSession(events: AckEvent[], snapshot?: ReturnType<typeof snapshotOf>): Session<DiscoveryRequest, DiscoveryResponse> {
  return new Session({ stream, emit: (e) => events.push(e), channel: (t, onResumed) => new SotwChannel(t, onResumed) }, snapshot);
}

function ack(res: DiscoveryResponse | undefined, names: readonly string[] = []): DiscoveryRequest {
  if (res === undefined) throw new Error('no response to ACK');
  return sotw(res.type_url, { nonce: res.nonce, version: res.version_info, names });
}

describe('Session (SotW)', () => {
  it('serves nothing until the fleet has a snapshot', () => {
    const s = sotwSession([]);
    expect(s.receive(sotw(CDS))).toEqual([]);
    expect(s.setSnapshot(worldWith(['a'])).map(show)).toEqual(['CDS a']);
  });

  it('pushes one type at a time in CDS → EDS → LDS → RDS order, each after the previous is ACKed', () => {
    const s = sotwSession([], worldWith(['a']));
    const [cds] = s.receive(sotw(CDS));
    expect(show(cds)).toBe('CDS a');
    expect(s.receive(sotw(LDS))).toEqual([]); // CDS in flight
    expect(s.receive(sotw(EDS, { names: ['a'] }))).toEqual([]); // CDS in flight
    const [eds] = s.receive(ack(cds));
    expect(show(eds)).toBe('EDS a'); // EDS before LDS
    const [lds] = s.receive(ack(eds, ['a']));
    expect(show(lds)).toBe('LDS http');
    expect(s.receive(ack(lds))).toEqual([]);
    const [rds] = s.receive(sotw(RDS, { names: ['routes'] }));
    expect(show(rds)).toBe('RDS routes');
    expect(s.receive(ack(rds, ['routes']))).toEqual([]);
  });

  it('adds clusters before the routes that use them and removes old ones only after the routes moved', () => {
    const events: AckEvent[] = [];
    const s = sotwSession(events, worldWith(['a']));
    // Steady state, as Envoy builds it: CDS, EDS (requested once CDS arrived), LDS, RDS.
    let [res] = s.receive(sotw(CDS));
    expect(s.receive(ack(res))).toEqual([]);
    [res] = s.receive(sotw(LDS));
    expect(res).toBeUndefined(); // Envoy has yet to request the endpoints of cluster "a"
    [res] = s.receive(sotw(EDS, { names: ['a'] }));
    expect(show(res)).toBe('EDS a');
    [res] = s.receive(ack(res, ['a']));
    expect(show(res)).toBe('LDS http');
    expect(s.receive(ack(res))).toEqual([]);
    [res] = s.receive(sotw(RDS, { names: ['routes'] }));
    expect(s.receive(ack(res, ['routes']))).toEqual([]);

    // Routes move from "a" to "b".
    const next = worldWith(['b']);
    const trace: string[] = [];
    [res] = s.setSnapshot(next);
    trace.push(show(res)); // CDS a,b: the union, nothing removed yet
    expect(s.receive(sotw(EDS, { names: ['a', 'b'], nonce: '0' }))).toEqual([]); // stale nonce: ignored
    [res] = s.receive(ack(res));
    expect(res).toBeUndefined(); // routes wait until Envoy asks for the endpoints of "b"
    [res] = s.receive(sotw(EDS, { names: ['a', 'b'], nonce: findNonce(events, EDS) }));
    trace.push(show(res));
    [res] = s.receive(ack(res, ['a', 'b']));
    trace.push(show(res)); // LDS unchanged: RDS next
    [res] = s.receive(ack(res, ['routes']));
    trace.push(show(res)); // break: CDS b
    [res] = s.receive(ack(res));
    trace.push(show(res)); // EDS b (what Envoy still subscribes to that exists)
    expect(s.receive(ack(res, ['b']))).toEqual([]); // Envoy drops "a": nothing new to send
    expect(trace).toEqual(['CDS a,b', 'EDS a,b', 'RDS routes', 'CDS b', 'EDS b']);
    expect(events.filter((e) => e.typeUrl === EDS).map((e) => e.resourceNames.join(','))).toEqual(['a', 'a,b', 'b']);
    expect(events.filter((e) => e.typeUrl === CDS).map((e) => [e.ack, e.resourceNames.join(',')]))
      .toEqual([[true, 'a'], [true, 'a,b'], [true, 'b']]);
    expect(events.at(-1)).toMatchObject({ nodeId: 'node-1', fleet: 'fleet', snapshotVersion: next.version, version: next.types.get(EDS)?.version });
  });

  it('keeps removed clusters while a route update stays NACKed, and reports the NACK', () => {
    const events: AckEvent[] = [];
    const s = sotwSession(events, worldWith(['a']));
    let [res] = s.receive(sotw(CDS));
    s.receive(ack(res));
    [res] = s.receive(sotw(EDS, { names: ['a'] }));
    s.receive(ack(res, ['a']));
    [res] = s.receive(sotw(RDS, { names: ['routes'] }));
    s.receive(ack(res, ['routes']));

    [res] = s.setSnapshot(worldWith(['b']));
    expect(show(res)).toBe('CDS a,b');
    [res] = s.receive(ack(res));
    expect(res).toBeUndefined();
    [res] = s.receive(sotw(EDS, { names: ['a', 'b'], nonce: findNonce(events, EDS) }));
    expect(show(res)).toBe('EDS a,b');
    [res] = s.receive(ack(res, ['a', 'b']));
    expect(show(res)).toBe('RDS routes');
    const rdsNonce = res?.nonce ?? '';
    expect(s.receive(sotw(RDS, { names: ['routes'], nonce: rdsNonce, error: 'route rejected' }))).toEqual([]);
    expect(events.at(-1)).toMatchObject({ kind: 'nack', ack: false, typeUrl: RDS, errorMessage: 'route rejected', resourceNames: ['routes'] });
    // Nothing moves: the NACKed version is not resent and "a" is not removed.
    expect(s.receive(sotw(RDS, { names: ['routes'], nonce: rdsNonce }))).toEqual([]);
    // A snapshot with the same routes but new endpoints: EDS moves, "a" still stays.
    [res] = s.setSnapshot(worldWith(['b'], 9001));
    expect(show(res)).toBe('EDS a,b');
    expect(s.receive(ack(res, ['a', 'b']))).toEqual([]);
    // A snapshot whose routes change again: RDS is pushed, ACKed, and only then "a" goes.
    [res] = s.setSnapshot(worldWith(['b', 'c']));
    expect(show(res)).toBe('CDS a,b,c');
    [res] = s.receive(ack(res));
    expect(show(res)).toBe('EDS a,b'); // b's endpoints changed back; c not yet requested
    [res] = s.receive(ack(res, ['a', 'b', 'c']));
    expect(show(res)).toBe('EDS a,b,c');
    [res] = s.receive(ack(res, ['a', 'b', 'c']));
    expect(show(res)).toBe('RDS routes');
    [res] = s.receive(ack(res, ['routes']));
    expect(show(res)).toBe('CDS b,c');
  });

  it('reports a reconnecting client that already has the version as resumed, without pushing', () => {
    const events: AckEvent[] = [];
    const snap = worldWith(['a']);
    const s = sotwSession(events, snap);
    expect(s.receive(sotw(CDS, { version: snap.types.get(CDS)?.version ?? '' }))).toEqual([]);
    expect(events).toEqual([expect.objectContaining({ kind: 'ack', resumed: true, typeUrl: CDS, resourceNames: ['a'] })]);
  });
});

function findNonce(events: readonly AckEvent[], typeUrl: string): string {
  return [...events].reverse().find((e) => e.typeUrl === typeUrl)?.nonce ?? '';
}

describe('Session (Delta)', () => {
  function deltaSession(events: AckEvent[], snapshot: ReturnType<typeof snapshotOf>): Session<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
    return new Session({ stream: { ...stream, protocol: 'delta' }, emit: (e) => events.push(e), channel: (t) => new DeltaChannel(t) }, snapshot);
  }
  const showDelta = (res: DeltaDiscoveryResponse | undefined): string =>
    res === undefined ? 'nothing' : `${SHORT[res.type_url] ?? ''} +${res.resources.map((r) => r.name).join(',')} -${res.removed_resources.join(',')}`;
  const deltaAck = (res: DeltaDiscoveryResponse | undefined): DeltaDiscoveryRequest => delta(res?.type_url ?? '', { nonce: res?.nonce ?? '' });

  it('defers removals until routes have moved, and reports removals in events', () => {
    const events: AckEvent[] = [];
    const s = deltaSession(events, worldWith(['a']));
    let [res] = s.receive(delta(CDS));
    expect(showDelta(res)).toBe('CDS +a -');
    expect(s.receive(deltaAck(res))).toEqual([]);
    [res] = s.receive(delta(EDS, { subscribe: ['a'] }));
    expect(s.receive(deltaAck(res))).toEqual([]);
    [res] = s.receive(delta(RDS, { subscribe: ['routes'] }));
    expect(s.receive(deltaAck(res))).toEqual([]);

    const trace: string[] = [];
    [res] = s.setSnapshot(worldWith(['b']));
    trace.push(showDelta(res));
    [res] = s.receive(deltaAck(res));
    expect(res).toBeUndefined();
    [res] = s.receive(delta(EDS, { subscribe: ['b'] }));
    trace.push(showDelta(res));
    [res] = s.receive(deltaAck(res));
    trace.push(showDelta(res));
    [res] = s.receive(deltaAck(res));
    trace.push(showDelta(res));
    [res] = s.receive(deltaAck(res));
    trace.push(showDelta(res));
    expect(s.receive(deltaAck(res))).toEqual([]);
    expect(trace).toEqual(['CDS +b -', 'EDS +b -', 'RDS +routes -', 'CDS + -a', 'EDS + -a']);
    expect(events.at(-1)).toMatchObject({ typeUrl: EDS, removedResourceNames: ['a'], protocol: 'delta' });
  });
});
