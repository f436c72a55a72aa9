import { defaultRegistry, TYPE_URLS } from '../proto';
import { buildSnapshot, type Snapshot } from '../snapshot';
import { loadAssignment, resourceInput } from '../snapshot/fixtures';
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

describe('DeltaChannel on patched targets', () => {
  /** Endpoints of clusters `names`, each at its port (a changed port is a replaced resource). */
  function endpoints(ports: Readonly<Record<string, number>>, previous?: Snapshot): Snapshot {
    const input = resourceInput({ [EDS]: Object.entries(ports).map(([name, port]) => loadAssignment(name, [{ address: '127.0.0.1', port }])) });
    const built = buildSnapshot('fleet', input, { registry: defaultRegistry(), ...(previous === undefined ? {} : { previous }) });
    if (!built.ok) throw new Error(JSON.stringify(built.problems));
    return built.snapshot;
  }

  /** The same target without its patch: the channel must walk every resource. */
  const unpatched = (t: TypeTarget): TypeTarget => ({ typeUrl: t.typeUrl, version: t.version, snapshotVersion: t.snapshotVersion, resources: t.resources, keep: t.keep });

  type Step =
    | { readonly ports: Readonly<Record<string, number>> }
    | { readonly request: Parameters<typeof delta>[1] }
    | { readonly nackNext: true };

  it('answers exactly as a full walk would, through patches, NACKs, parts and subscription changes', () => {
    const steps: Step[] = [
      { request: { subscribe: ['a', 'b', 'c', 'ghost'] } },
      { ports: { a: 1, b: 1, c: 1, d: 1 } },
      { ports: { a: 2, b: 1, c: 1, d: 1 } }, // a patch: one replaced
      { ports: { a: 2, b: 2, c: 2, d: 2 } }, // a patch: three replaced, one not subscribed
      { nackNext: true },
      { ports: { a: 3, b: 2, c: 2, d: 2 } }, // NACKed: the client is no longer in step
      { ports: { a: 4, b: 3, c: 2, d: 2 } },
      { request: { subscribe: ['d'], unsubscribe: ['c'] } },
      { ports: { a: 4, b: 3, c: 3, d: 3 } },
      { ports: { a: 4, b: 3, d: 3 } }, // a name gone: not a patch
      { ports: { a: 5, b: 3, d: 3 } },
      { request: { subscribe: ['*'] } },
      { ports: { a: 5, b: 3, d: 3, e: 1 } }, // a name added
      { ports: { a: 6, b: 4, d: 4, e: 2 } },
    ];
    // A small byte budget: most updates go in parts, one resource each.
    const fast = new DeltaChannel(EDS, 1);
    const full = new DeltaChannel(EDS, 1);
    let snapshot: Snapshot | undefined;
    let nonce = 0;
    let nackNext = false;
    let patchedTargets = 0;
    for (const step of steps) {
      if ('request' in step) {
        expect(fast.receive(delta(EDS, step.request))).toEqual(full.receive(delta(EDS, step.request)));
        continue;
      }
      if ('nackNext' in step) {
        nackNext = true;
        continue;
      }
      snapshot = endpoints(step.ports, snapshot);
      const t = target(snapshot, EDS);
      if (t.patchOf !== undefined) patchedTargets += 1;
      for (let round = 0; round < 10; round += 1) {
        nonce += 1;
        const answer = fast.respond(t, String(nonce));
        expect(answer).toEqual(full.respond(unpatched(t), String(nonce)));
        if (answer === undefined) break;
        const reply = delta(EDS, { nonce: String(nonce), ...(nackNext ? { error: 'rejected' } : {}) });
        nackNext = false;
        expect(fast.receive(reply)).toEqual(full.receive(reply));
      }
    }
    expect(patchedTargets).toBeGreaterThanOrEqual(6);
  });
});
