import { TYPE_URLS } from '../proto';
import type { SentResponse } from './channel';
import { SotwChannel } from './sotw-channel';
import { sotw } from './testing/requests';
import { clusters, target } from './testing/targets';

const CDS = TYPE_URLS.cluster;
const EDS = TYPE_URLS.clusterLoadAssignment;

describe('SotwChannel', () => {
  it('treats an empty first request as a wildcard and answers with every resource', () => {
    const ch = new SotwChannel(CDS);
    expect(ch.respond(target(clusters(['a']), CDS), '1')).toBeUndefined(); // not subscribed yet
    expect(ch.receive(sotw(CDS))).toEqual({ kind: 'subscription' });
    const t = target(clusters(['a', 'b']), CDS);
    const res = ch.respond(t, '2');
    expect(res).toMatchObject({ version_info: t.version, type_url: CDS, nonce: '2' });
    expect(res?.resources).toHaveLength(2);
    expect(ch.inFlight).toBe(true);
  });

  it('ACKs by nonce, never resends the same content, and pushes when the content changes', () => {
    const ch = new SotwChannel(CDS);
    ch.receive(sotw(CDS));
    const t1 = target(clusters(['a']), CDS);
    ch.respond(t1, '1');
    const outcome = ch.receive(sotw(CDS, { nonce: '1', version: t1.version }));
    expect(outcome).toMatchObject({ kind: 'ack', sent: { nonce: '1', version: t1.version, resourceNames: ['a'] } });
    expect(ch.lastOutcome).toBe('ack');
    expect(ch.respond(t1, '2')).toBeUndefined();
    expect(ch.respond(target(clusters(['a', 'b']), CDS), '3')?.resources).toHaveLength(2);
  });

  it('ignores requests carrying a stale nonce (neither ACK nor subscription change)', () => {
    const ch = new SotwChannel(EDS);
    ch.receive(sotw(EDS, { names: ['a'] }));
    const t = target(clusters(['a', 'b']), EDS);
    ch.respond(t, '1');
    expect(ch.receive(sotw(EDS, { names: ['a', 'b'], nonce: '0' }))).toEqual({ kind: 'stale', nonce: '0' });
    expect(ch.receive(sotw(EDS, { names: ['a', 'b'] }))).toEqual({ kind: 'stale', nonce: '' });
    expect(ch.inFlight).toBe(true);
    expect(ch.receive(sotw(EDS, { names: ['a', 'b'], nonce: '1', version: t.version }))).toMatchObject({ kind: 'ack' });
  });

  it('answers explicit subscriptions with the subscribed subset, resending when names are added', () => {
    const ch = new SotwChannel(EDS);
    const t = target(clusters(['a', 'b']), EDS);
    ch.receive(sotw(EDS, { names: ['x'] }));
    expect(ch.respond(t, '1')).toBeUndefined(); // nothing requested exists: the client waits
    ch.receive(sotw(EDS, { names: ['a', 'x'] }));
    const first = ch.respond(t, '2');
    expect(first?.resources.map((r) => r.type_url)).toEqual([EDS]);
    ch.receive(sotw(EDS, { names: ['a', 'x'], nonce: '2', version: t.version }));
    ch.receive(sotw(EDS, { names: ['a', 'b'], nonce: '2', version: t.version }));
    expect(ch.respond(t, '3')?.resources).toHaveLength(2);
  });

  it('follows the wildcard rules: "*" plus names, and an empty list after explicit names unsubscribes', () => {
    const ch = new SotwChannel(CDS);
    const t = target(clusters(['a', 'b']), CDS);
    ch.receive(sotw(CDS, { names: ['*', 'a'] }));
    expect(ch.respond(t, '1')?.resources).toHaveLength(2);
    ch.receive(sotw(CDS, { names: [], nonce: '1', version: t.version }));
    expect(ch.respond(t, '2')?.resources).toEqual([]);
  });

  it('reports a NACK with its message and does not resend that version until the target changes', () => {
    const ch = new SotwChannel(CDS);
    ch.receive(sotw(CDS));
    const t1 = target(clusters(['a']), CDS);
    ch.respond(t1, '1');
    const outcome = ch.receive(sotw(CDS, { nonce: '1', error: 'bad cluster' }));
    expect(outcome).toMatchObject({ kind: 'nack', errorMessage: 'bad cluster', sent: { version: t1.version } });
    expect(ch.lastOutcome).toBe('nack');
    expect(ch.inFlight).toBe(false);
    expect(ch.respond(t1, '2')).toBeUndefined();
    ch.receive(sotw(CDS, { nonce: '1', error: 'bad cluster' })); // repeated NACK: no longer in flight
    expect(ch.respond(t1, '3')).toBeUndefined();
    expect(ch.respond(target(clusters(['a'], 2), CDS), '4')).toBeUndefined(); // CDS content is the same
    expect(ch.respond(target(clusters(['a', 'b']), CDS), '5')).toBeDefined();
  });

  it('does not push to a reconnecting wildcard client that already has the version, and reports it', () => {
    const resumed: SentResponse[] = [];
    const ch = new SotwChannel(CDS, (sent) => resumed.push(sent));
    const t = target(clusters(['a']), CDS);
    ch.receive(sotw(CDS, { version: t.version }));
    expect(ch.respond(t, '1')).toBeUndefined();
    expect(resumed).toEqual([expect.objectContaining({ version: t.version, nonce: '', resourceNames: ['a'] })]);
    expect(ch.respond(target(clusters(['a', 'b']), CDS), '2')).toBeDefined();
  });

  it('pushes to a reconnecting client whose version is outdated', () => {
    const ch = new SotwChannel(CDS);
    ch.receive(sotw(CDS, { version: 'old' }));
    expect(ch.respond(target(clusters(['a']), CDS), '1')).toBeDefined();
  });

  it('holds what it sent until ACKed, then exactly the ACKed set', () => {
    const ch = new SotwChannel(CDS);
    ch.receive(sotw(CDS));
    const t1 = target(clusters(['a']), CDS);
    ch.respond(t1, '1');
    ch.receive(sotw(CDS, { nonce: '1', version: t1.version }));
    ch.respond(target(clusters(['b']), CDS), '2');
    expect([...ch.held().names].sort()).toEqual(['a', 'b']);
    ch.receive(sotw(CDS, { nonce: '2' }));
    expect([...ch.held().names]).toEqual(['b']);
  });
});
