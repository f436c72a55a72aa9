import { TYPE_URLS } from '../proto';
import { DeltaChannel } from './delta-channel';
import type { DeltaDiscoveryResponse } from './messages';
import type { TypeTarget } from './target';
import { delta } from './testing/requests';
import { clusters, target } from './testing/targets';

const CDS = TYPE_URLS.cluster;
const EDS = TYPE_URLS.clusterLoadAssignment;

function summary(res: DeltaDiscoveryResponse | undefined): { names: string[]; removed: readonly string[] } | undefined {
  return res === undefined ? undefined : { names: res.resources.map((r) => r.name), removed: res.removed_resources };
}

function acked(ch: DeltaChannel, typeUrl: string, t: TypeTarget, nonce: string): DeltaDiscoveryResponse | undefined {
  const res = ch.respond(t, nonce);
  if (res !== undefined) ch.receive(delta(typeUrl, { nonce }));
  return res;
}

describe('DeltaChannel', () => {
  it('sends only what changed and removes what disappeared (legacy wildcard)', () => {
    const ch = new DeltaChannel(CDS);
    ch.receive(delta(CDS));
    expect(summary(acked(ch, CDS, target(clusters(['a', 'b']), CDS), '1'))).toEqual({ names: ['a', 'b'], removed: [] });
    expect(ch.respond(target(clusters(['a', 'b']), CDS), '2')).toBeUndefined();
    expect(summary(acked(ch, CDS, target(clusters(['b', 'c']), CDS), '3'))).toEqual({ names: ['c'], removed: ['a'] });
  });

  it('uses content hashes as per-resource versions', () => {
    const ch = new DeltaChannel(EDS);
    ch.receive(delta(EDS, { subscribe: ['a'] }));
    const t = target(clusters(['a']), EDS);
    const res = ch.respond(t, '1');
    expect(res?.resources[0]?.version).toBe(t.resources.get('a')?.hash);
    expect(res?.system_version_info).toBe(t.version);
  });

  it('sends an empty first response to a wildcard subscriber with nothing to send, once', () => {
    const ch = new DeltaChannel(CDS);
    ch.receive(delta(CDS, { subscribe: ['*'] }));
    const empty = target(clusters([]), CDS);
    expect(summary(acked(ch, CDS, empty, '1'))).toEqual({ names: [], removed: [] });
    expect(ch.respond(empty, '2')).toBeUndefined();
  });

  it('reports explicitly subscribed names that do not exist in removed_resources, once', () => {
    const ch = new DeltaChannel(EDS);
    ch.receive(delta(EDS, { subscribe: ['a', 'ghost'] }));
    const t = target(clusters(['a']), EDS);
    expect(summary(acked(ch, EDS, t, '1'))).toEqual({ names: ['a'], removed: ['ghost'] });
    expect(ch.respond(t, '2')).toBeUndefined();
    expect(summary(acked(ch, EDS, target(clusters(['a', 'ghost']), EDS), '3'))).toEqual({ names: ['ghost'], removed: [] });
  });

  it('trusts initial_resource_versions on reconnect and resends only what differs', () => {
    const t = target(clusters(['a', 'b']), CDS);
    const ch = new DeltaChannel(CDS);
    ch.receive(delta(CDS, { subscribe: ['*'], initial: { a: t.resources.get('a')?.hash ?? '', b: 'stale', gone: 'x' } }));
    expect(summary(ch.respond(t, '1'))).toEqual({ names: ['b'], removed: ['gone'] });
  });

  it('sends nothing to a reconnecting client whose resources are all current', () => {
    const t = target(clusters(['a']), CDS);
    const ch = new DeltaChannel(CDS);
    ch.receive(delta(CDS, { initial: { a: t.resources.get('a')?.hash ?? '' } }));
    expect(ch.respond(t, '1')).toBeUndefined();
  });

  it('resends a resource the client re-subscribes to, even if it should have it', () => {
    const ch = new DeltaChannel(EDS);
    const t = target(clusters(['a']), EDS);
    ch.receive(delta(EDS, { subscribe: ['a'] }));
    acked(ch, EDS, t, '1');
    ch.receive(delta(EDS, { subscribe: ['a'] }));
    expect(summary(ch.respond(t, '2'))).toEqual({ names: ['a'], removed: [] });
  });

  it('forgets unsubscribed resources without a response', () => {
    const ch = new DeltaChannel(EDS);
    const t = target(clusters(['a', 'b']), EDS);
    ch.receive(delta(EDS, { subscribe: ['a', 'b'] }));
    acked(ch, EDS, t, '1');
    ch.receive(delta(EDS, { unsubscribe: ['b'] }));
    expect(ch.respond(target(clusters(['a']), EDS), '2')).toBeUndefined();
  });

  it('answers an unsubscription covered by a wildcard with the resource or its removal', () => {
    const ch = new DeltaChannel(CDS);
    const t = target(clusters(['a']), CDS);
    ch.receive(delta(CDS, { subscribe: ['*', 'a', 'x'] }));
    acked(ch, CDS, t, '1');
    ch.receive(delta(CDS, { unsubscribe: ['a', 'x'] }));
    expect(summary(ch.respond(t, '2'))).toEqual({ names: ['a'], removed: ['x'] });
  });

  it('applies subscriptions carried with a stale nonce, but not as an ACK', () => {
    const ch = new DeltaChannel(EDS);
    ch.receive(delta(EDS, { subscribe: ['a'] }));
    const t = target(clusters(['a', 'b']), EDS);
    ch.respond(t, '1');
    expect(ch.receive(delta(EDS, { subscribe: ['b'], nonce: '0' }))).toEqual({ kind: 'stale', nonce: '0' });
    expect(ch.inFlight).toBe(true);
    expect(ch.receive(delta(EDS, { nonce: '1' }))).toMatchObject({ kind: 'ack', sent: { resourceNames: ['a'] } });
    expect(summary(ch.respond(t, '2'))).toEqual({ names: ['b'], removed: [] });
  });

  it('does not resend NACKed content until the type target changes, then resends it', () => {
    const ch = new DeltaChannel(CDS);
    ch.receive(delta(CDS));
    const t1 = target(clusters(['a']), CDS);
    acked(ch, CDS, t1, '1');
    const t2 = target(clusters(['a', 'bad']), CDS);
    ch.respond(t2, '2');
    expect(ch.receive(delta(CDS, { nonce: '2', error: 'rejected bad' }))).toMatchObject({ kind: 'nack', errorMessage: 'rejected bad' });
    expect(ch.lastOutcome).toBe('nack');
    expect(ch.respond(t2, '3')).toBeUndefined();
    expect(summary(ch.respond(target(clusters(['a', 'bad', 'c']), CDS), '4'))).toEqual({ names: ['bad', 'c'], removed: [] });
  });

  it('does not remove names a make-phase target keeps', () => {
    const ch = new DeltaChannel(CDS);
    ch.receive(delta(CDS));
    acked(ch, CDS, target(clusters(['a', 'old']), CDS), '1');
    const final = target(clusters(['a', 'new']), CDS);
    expect(summary(acked(ch, CDS, { ...final, keep: new Set(['old']) }, '2'))).toEqual({ names: ['new'], removed: [] });
    expect(summary(ch.respond(final, '3'))).toEqual({ names: [], removed: ['old'] });
  });

  it('sends an update larger than its byte budget in parts, the removals with the last part', () => {
    const ch = new DeltaChannel(CDS, 1);
    ch.receive(delta(CDS));
    acked(ch, CDS, target(clusters(['old']), CDS), '1');
    const t = target(clusters(['a', 'b', 'c']), CDS);
    const parts = ['2', '3', '4'].map((nonce) => {
      const res = ch.respond(t, nonce);
      const partial = ch.lastSent?.partial === true;
      ch.receive(delta(CDS, { nonce }));
      return { ...summary(res), partial };
    });
    expect(parts).toEqual([
      { names: ['a'], removed: [], partial: true },
      { names: ['b'], removed: [], partial: true },
      { names: ['c'], removed: ['old'], partial: false },
    ]);
    expect(ch.respond(t, '5')).toBeUndefined();
    expect(ch.lastOutcome).toBe('ack');
  });

  it('goes on with the other parts after one is NACKed, and the version is not accepted', () => {
    const ch = new DeltaChannel(CDS, 1);
    ch.receive(delta(CDS));
    const t = target(clusters(['a', 'bad', 'c']), CDS);
    ch.respond(t, '1');
    ch.receive(delta(CDS, { nonce: '1' }));
    expect(summary(ch.respond(t, '2'))).toEqual({ names: ['bad'], removed: [] });
    expect(ch.receive(delta(CDS, { nonce: '2', error: 'rejected bad' }))).toMatchObject({ kind: 'nack' });
    expect(summary(ch.respond(t, '3'))).toEqual({ names: ['c'], removed: [] });
    // The last part's ACK says nothing of the NACKed one: reported as a part, the outcome stays NACK.
    expect(ch.receive(delta(CDS, { nonce: '3' }))).toMatchObject({ kind: 'ack', sent: { partial: true } });
    expect(ch.lastOutcome).toBe('nack');
    expect(ch.respond(t, '4')).toBeUndefined();
  });
});
