import { decodeResource, TYPE_URLS } from '../proto';
import { world } from '../snapshot/fixtures';
import { DeltaChannel } from './delta-channel';
import { isAckEvent, type AckEvent, type SessionEvent } from './events';
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

function sotwSession(events: AckEvent[], snapshot?: ReturnType<typeof snapshotOf>, other: SessionEvent[] = []): Session<DiscoveryRequest, DiscoveryResponse> {
  return new Session({ stream, emit: (e) => { if (isAckEvent(e)) events.push(e); else other.push(e); }, channel: (t, onResumed) => new SotwChannel(t, onResumed) }, snapshot);
}

/** Drives a SotW session like Envoy does: wildcard CDS/LDS, explicit EDS/RDS, one nonce per type. */
class Client {
  private readonly nonces = new Map<string, string>();
  private readonly subscriptions = new Map<string, readonly string[]>();

  constructor(private readonly session: Session<DiscoveryRequest, DiscoveryResponse>) {}

  /** Subscribes (or changes names), carrying the latest nonce of the type. */
  request(typeUrl: string, names: readonly string[] = []): string[] {
    this.subscriptions.set(typeUrl, names);
    return this.record(this.session.receive(sotw(typeUrl, { names, nonce: this.nonces.get(typeUrl) ?? '' })));
  }

  ack(typeUrl: string, error?: string): string[] {
    const request = sotw(typeUrl, { names: this.subscriptions.get(typeUrl) ?? [], nonce: this.nonces.get(typeUrl) ?? '', ...(error === undefined ? {} : { error }) });
    return this.record(this.session.receive(request));
  }

  snapshot(snapshot: ReturnType<typeof snapshotOf>): string[] {
    return this.record(this.session.setSnapshot(snapshot));
  }

  private record(responses: readonly DiscoveryResponse[]): string[] {
    for (const r of responses) this.nonces.set(r.type_url, r.nonce);
    return responses.map(show);
  }
}

describe('Session (SotW)', () => {
  it('serves nothing until the fleet has a snapshot', () => {
    const s = sotwSession([]);
    expect(s.receive(sotw(CDS))).toEqual([]);
    expect(s.setSnapshot(worldWith(['a'])).map(show)).toEqual(['CDS a']);
  });

  it('holds listeners and routes back until clusters and endpoints are ACKed, never EDS behind CDS', () => {
    const other: SessionEvent[] = [];
    const snap = worldWith(['a']);
    const envoy = new Client(sotwSession([], snap, other));
    expect(envoy.request(CDS)).toEqual(['CDS a']);
    expect(envoy.request(LDS)).toEqual([]); // waits for the CDS ACK
    // Envoy asks for the endpoints of a new cluster before it ACKs CDS (the cluster warms on them).
    expect(envoy.request(EDS, ['a'])).toEqual(['EDS a']);
    expect(envoy.ack(CDS)).toEqual([]); // EDS still in flight
    expect(envoy.ack(EDS)).toEqual(['LDS http']);
    // The listener warms on its routes: RDS does not wait for the LDS ACK.
    expect(envoy.request(RDS, ['routes'])).toEqual(['RDS routes']);
    expect(other.filter((e) => e.kind === 'synced')).toEqual([]);
    expect(envoy.ack(LDS)).toEqual([]);
    expect(envoy.ack(RDS)).toEqual([]);
    expect(other.filter((e) => e.kind === 'synced')).toEqual([expect.objectContaining({ nodeId: 'node-1', snapshotVersion: snap.version, typeUrls: [CDS, EDS, LDS, RDS].sort() })]);
    expect(other.flatMap((e) => (e.kind === 'sent' ? [SHORT[e.typeUrl]] : []))).toEqual(['CDS', 'EDS', 'LDS', 'RDS']);
  });

  function steady(events: AckEvent[]): Client {
    const envoy = new Client(sotwSession(events, worldWith(['a'])));
    envoy.request(CDS);
    envoy.request(EDS, ['a']);
    envoy.ack(CDS);
    envoy.request(LDS);
    envoy.ack(EDS);
    envoy.request(RDS, ['routes']);
    envoy.ack(LDS);
    expect(envoy.ack(RDS)).toEqual([]);
    return envoy;
  }

  it('adds clusters before the routes that use them and removes old ones only after the routes moved', () => {
    const events: AckEvent[] = [];
    const envoy = steady(events);
    const next = worldWith(['b']);
    const trace: string[] = [];
    trace.push(...envoy.snapshot(next)); // the union: nothing removed yet
    trace.push(...envoy.request(EDS, ['a', 'b']));
    expect(envoy.ack(CDS)).toEqual([]); // routes wait for the endpoints of "b"
    trace.push(...envoy.ack(EDS));
    trace.push(...envoy.ack(RDS)); // break: "a" goes
    expect(envoy.ack(CDS)).toEqual([]);
    expect(envoy.request(EDS, ['b'])).toEqual([]); // Envoy drops "a": EDS b was already sent
    expect(envoy.ack(EDS)).toEqual([]);
    expect(trace).toEqual(['CDS a,b', 'EDS a,b', 'RDS routes', 'CDS b', 'EDS b']);
    expect(events.filter((e) => e.typeUrl === CDS).map((e) => [e.ack, e.resourceNames.join(',')]))
      .toEqual([[true, 'a'], [true, 'a,b'], [true, 'b']]);
    expect(events.filter((e) => e.typeUrl === EDS).map((e) => e.resourceNames.join(','))).toEqual(['a', 'a,b', 'b']);
    expect(events.at(-1)).toMatchObject({ nodeId: 'node-1', fleet: 'fleet', snapshotVersion: next.version, version: next.types.get(EDS)?.version });
  });

  it('ignores stale nonces', () => {
    const envoy = steady([]);
    const s = (envoy as unknown as { session: Session<DiscoveryRequest, DiscoveryResponse> }).session;
    expect(envoy.snapshot(worldWith(['b']))).toEqual(['CDS a,b']);
    expect(s.receive(sotw(CDS, { nonce: 'old' })).map(show)).toEqual([]);
    expect(s.receive(sotw(EDS, { names: ['a', 'b'], nonce: 'old' })).map(show)).toEqual([]); // subscription ignored too
    expect(envoy.request(EDS, ['a', 'b'])).toEqual(['EDS a,b']);
  });

  it('keeps removed clusters while a route update stays NACKed, and reports the NACK', () => {
    const events: AckEvent[] = [];
    const envoy = steady(events);
    expect(envoy.snapshot(worldWith(['b']))).toEqual(['CDS a,b']);
    expect(envoy.request(EDS, ['a', 'b'])).toEqual(['EDS a,b']);
    envoy.ack(CDS);
    expect(envoy.ack(EDS)).toEqual(['RDS routes']);
    expect(envoy.ack(RDS, 'route rejected')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ kind: 'nack', ack: false, typeUrl: RDS, errorMessage: 'route rejected', resourceNames: ['routes'] });
    // Nothing moves: the NACKed version is not resent and "a" is not removed.
    expect(envoy.request(RDS, ['routes'])).toEqual([]);
    // Same routes, new endpoints: EDS moves, "a" still stays.
    expect(envoy.snapshot(worldWith(['b'], 9001))).toEqual(['EDS a,b']);
    expect(envoy.ack(EDS)).toEqual([]);
    // Routes change again: RDS is pushed, ACKed, and only then "a" goes.
    expect(envoy.snapshot(worldWith(['b', 'c']))).toEqual(['CDS a,b,c', 'EDS a,b']);
    // Envoy's request for "c" also ACKs the in-flight EDS response (same nonce).
    expect(envoy.request(EDS, ['a', 'b', 'c'])).toEqual(['EDS a,b,c']);
    expect(envoy.ack(CDS)).toEqual([]);
    expect(envoy.ack(EDS)).toEqual(['RDS routes']);
    expect(envoy.ack(RDS)).toEqual(['CDS b,c', 'EDS b,c']);
  });

  it('reports a reconnecting client that already has the version as resumed, without pushing', () => {
    const events: AckEvent[] = [];
    const snap = worldWith(['a']);
    const s = sotwSession(events, snap);
    expect(s.receive(sotw(CDS, { version: snap.types.get(CDS)?.version ?? '' }))).toEqual([]);
    expect(events).toEqual([expect.objectContaining({ kind: 'ack', resumed: true, typeUrl: CDS, resourceNames: ['a'] })]);
  });
});


describe('Session (Delta)', () => {
  it('defers removals until routes have moved, and reports removals in events', () => {
    const events: AckEvent[] = [];
    const other: SessionEvent[] = [];
    const s = new Session<DeltaDiscoveryRequest, DeltaDiscoveryResponse>({
      stream: { ...stream, protocol: 'delta' }, emit: (e) => { if (isAckEvent(e)) events.push(e); else other.push(e); }, channel: (t) => new DeltaChannel(t),
    }, worldWith(['a']));
    const nonces = new Map<string, string>();
    const show = (responses: readonly DeltaDiscoveryResponse[]): string[] => responses.map((r) => {
      nonces.set(r.type_url, r.nonce);
      return `${SHORT[r.type_url] ?? ''} +${r.resources.map((x) => x.name).join(',')} -${r.removed_resources.join(',')}`;
    });
    const ack = (typeUrl: string): string[] => show(s.receive(delta(typeUrl, { nonce: nonces.get(typeUrl) ?? '' })));
    const subscribe = (typeUrl: string, names: readonly string[] = []): string[] => show(s.receive(delta(typeUrl, { subscribe: names })));

    expect(subscribe(CDS)).toEqual(['CDS +a -']);
    expect(subscribe(EDS, ['a'])).toEqual(['EDS +a -']);
    expect(ack(CDS)).toEqual([]);
    expect(subscribe(LDS)).toEqual([]);
    expect(ack(EDS)).toEqual(['LDS +http -']);
    expect(subscribe(RDS, ['routes'])).toEqual(['RDS +routes -']);
    expect([...ack(LDS), ...ack(RDS)]).toEqual([]);

    const trace: string[] = [];
    trace.push(...show(s.setSnapshot(worldWith(['b']))));
    trace.push(...subscribe(EDS, ['b']));
    expect(ack(CDS)).toEqual([]);
    trace.push(...ack(EDS));
    trace.push(...ack(RDS));
    expect(ack(CDS)).toEqual([]);
    expect(ack(EDS)).toEqual([]);
    expect(trace).toEqual(['CDS +b -', 'EDS +b -', 'RDS +routes -', 'CDS + -a', 'EDS + -a']);
    expect(other.filter((e) => e.kind === 'synced')).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ typeUrl: EDS, removedResourceNames: ['a'], protocol: 'delta' });
  });
});
