import { TYPE_URLS, type NodeAckState, type Snapshot, type TypeAckState } from '@turnpike/xds-server';
import type { DesiredStatus } from '../translate';
import { PatchedMap } from '../resources/patched-map';
import { fleetState, maybeChanged, notProgrammed, programmedCondition, type FleetState } from './programmed';

const { listener: LDS, cluster: CDS } = TYPE_URLS;
const snapshot = { fleet: 'f', version: 'v2', types: new Map([[LDS, { version: 'l2' }], [CDS, { version: 'c2' }]]) } as unknown as Snapshot;

function node(types: Record<string, TypeAckState>, streams = 1, synced?: string, syncedTypeUrls: string[] = []): NodeAckState {
  return { nodeId: 'envoy-1', fleet: 'f', streams, syncedSnapshotVersion: synced, syncedTypeUrls, types: new Map(Object.entries(types)) };
}
const acked = (version: string): TypeAckState => ({ acked: { version, snapshotVersion: 'x', resourceNames: [] } });

describe('fleetState', () => {
  it('is Pending with no Envoy connected', () => {
    expect(fleetState(snapshot, [node({}, 0)])).toEqual({ kind: 'Pending', message: 'No Envoy of fleet f is connected yet.' });
  });

  it('is Programmed once every connected node ACKed every type of the snapshot', () => {
    expect(fleetState(snapshot, [node({ [LDS]: acked('l2'), [CDS]: acked('c2') })]).kind).toBe('Programmed');
    expect(fleetState(snapshot, [node({ [LDS]: acked('l1'), [CDS]: acked('c2') })]).kind).toBe('Pending');
    // Synced without ACKs (a Delta reconnect) counts, but only for the types the node asked for.
    expect(fleetState(snapshot, [node({}, 1, 'v2', [LDS, CDS])]).kind).toBe('Programmed');
    expect(fleetState(snapshot, [node({ [LDS]: acked('l2') }, 1, 'v2', [LDS])]).kind).toBe('Pending');
  });

  it('is Rejected with Envoy\'s message when a node NACKed the current version', () => {
    const nacked: TypeAckState = { ...acked('l1'), nacked: { version: 'l2', snapshotVersion: 'v2', errorMessage: 'bad cert', resourceNames: [] } };
    expect(fleetState(snapshot, [node({ [LDS]: nacked, [CDS]: acked('c2') })])).toEqual({
      kind: 'Rejected', message: 'Envoy envoy-1 rejected Listener: bad cert',
    });
  });

  it('names the members of another fleet (the rate-limit services) as told', () => {
    const members = { one: 'rate-limit service', many: 'rate-limit service(s)', rejected: (id: string, _t: string, m: string) => `ratelimit ${id} rejected: ${m}` };
    expect(fleetState(snapshot, [], members)).toEqual({ kind: 'Pending', message: 'No rate-limit service of fleet f is connected yet.' });
    expect(fleetState(snapshot, [node({ [LDS]: acked('l2') })], members)).toEqual({ kind: 'Pending', message: 'Waiting for 1 rate-limit service(s) to acknowledge the configuration.' });
    const nacked: TypeAckState = { nacked: { version: 'c2', snapshotVersion: 'v2', errorMessage: 'bad limit', resourceNames: [] } };
    expect(fleetState(snapshot, [node({ [LDS]: acked('l2'), [CDS]: nacked })], members)).toEqual({ kind: 'Rejected', message: 'ratelimit envoy-1 rejected: bad limit' });
  });
});

describe('notProgrammed', () => {
  it('states a fleet verdict as the condition: Rejected is False, Pending is Unknown, one object per state', () => {
    const rejected = { kind: 'Rejected', message: 'no' } as const;
    const pending = { kind: 'Pending', message: 'wait' } as const;
    expect(notProgrammed(rejected)).toEqual({ status: 'False', reason: 'Rejected', message: 'no' });
    expect(notProgrammed(pending)).toEqual({ status: 'Unknown', reason: 'Pending', message: 'wait' });
    expect(notProgrammed(pending)).toBe(notProgrammed(pending));
  });
});

describe('programmedCondition', () => {
  const base: DesiredStatus = {
    source: { kind: 'Api', namespace: 'n', name: 'a' }, generation: 3, inIR: true, fields: {},
    accepted: { status: 'True', reason: 'Accepted', message: '' }, resolvedRefs: { status: 'True', reason: 'ResolvedRefs', message: '' },
  };

  it('keeps True for a generation the last good snapshot carried while a newer one is rejected', () => {
    const rejected = { kind: 'Rejected', message: 'no' } as const;
    expect(programmedCondition('k', base, rejected, new Map([['k', base]])).status).toBe('True');
    expect(programmedCondition('k', base, rejected, new Map([['k', { ...base, generation: 2 }]]))).toEqual({ status: 'False', reason: 'Rejected', message: 'no' });
    // Carried means carried in the IR: an older snapshot that refused the object does not count.
    expect(programmedCondition('k', base, rejected, new Map([['k', { ...base, inIR: false }]])).status).toBe('False');
  });

  it('hands out one condition object per value, so re-deriving allocates nothing per object', () => {
    const pending = { kind: 'Pending', message: 'waiting' } as const;
    const other = { ...base, source: { ...base.source, name: 'b' } };
    expect(programmedCondition('k', base, pending, new Map())).toBe(programmedCondition('j', other, pending, new Map()));
    expect(programmedCondition('k', base, { kind: 'Programmed' }, new Map())).toBe(programmedCondition('j', other, { kind: 'Programmed' }, new Map()));
  });

  it('says NotAccepted when the object is invalid, and Pending for kinds not enforced yet', () => {
    const invalid = { ...base, inIR: false, accepted: { status: 'False', reason: 'Invalid', message: 'x' } } as const;
    expect(programmedCondition('k', invalid, { kind: 'Programmed' }, new Map()).reason).toBe('NotAccepted');
    expect(programmedCondition('k', { ...base, inIR: false }, { kind: 'Programmed' }, new Map()).reason).toBe('Pending');
  });

  it('never says an invalid generation is programmed: False, naming the generation the fleet serves instead', () => {
    const stale: DesiredStatus = { ...base, generation: 4, servedGeneration: 3, accepted: { status: 'False', reason: 'Invalid', message: 'x; still serving generation 3' } };
    const programmed = programmedCondition('k', stale, { kind: 'Programmed' }, new Map());
    expect(programmed).toEqual({ status: 'False', reason: 'NotAccepted', message: 'Generation 4 is not accepted; the Envoy fleet serves generation 3.' });
    expect(programmedCondition('k', stale, { kind: 'Programmed' }, new Map())).toBe(programmed);
    // A newer snapshot is rejected: the last good one carried generation 3 (valid then, or served instead of an invalid one).
    const rejected = { kind: 'Rejected', message: 'no' } as const;
    expect(programmedCondition('k', stale, rejected, new Map([['k', base]])).message).toBe('Generation 4 is not accepted; the Envoy fleet serves generation 3.');
    expect(programmedCondition('k', stale, rejected, new Map([['k', { ...stale, generation: 5 }]])).message).toBe('Generation 4 is not accepted; the Envoy fleet serves generation 3.');
    expect(programmedCondition('k', stale, rejected, new Map([['k', { ...base, generation: 2 }]]))).toEqual({
      status: 'False', reason: 'NotAccepted', message: 'Generation 4 is not accepted; generation 3, the last valid, is not programmed yet: no',
    });
    // Generation 4 is not carried when the snapshot holds generation 3 in its place.
    expect(programmedCondition('k', { ...base, generation: 4 }, rejected, new Map([['k', stale]])).status).toBe('False');
  });
});

describe('maybeChanged', () => {
  // A small deterministic generator (the same cases on every run).
  let seed = 7;
  const random = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return Math.floor((seed / 2147483648) * n); };
  const TRUE = { status: 'True', reason: 'Accepted', message: '' } as const;
  const FALSE = { status: 'False', reason: 'Invalid', message: 'bad' } as const;
  // Each new status of an object is its next generation, as edits make them.
  const generations = new Map<string, number>();
  const desired = (name: string): DesiredStatus => {
    const generation = (generations.get(name) ?? 0) + 1;
    generations.set(name, generation);
    const kind = random(4);
    return {
      source: { kind: 'Api', namespace: 'n', name }, generation, accepted: kind === 3 ? FALSE : TRUE, resolvedRefs: TRUE, inIR: kind !== 3, fields: {},
      ...(kind === 2 && generation > 1 ? { servedGeneration: generation - 1 } : {}),
    };
  };
  const states: FleetState[] = [{ kind: 'Programmed' }, { kind: 'Pending', message: 'Waiting for 1 Envoy(s).' }, { kind: 'Pending', message: 'Waiting for 2 Envoy(s).' }, { kind: 'Rejected', message: 'no' }];
  const same = (a: ReturnType<typeof programmedCondition>, b: ReturnType<typeof programmedCondition>): boolean => a.status === b.status && a.reason === b.reason && a.message === b.message;

  it('names every object whose status differs between two derivations, whatever the fleet state in each', () => {
    const keys = Array.from({ length: 12 }, (_, i) => `Api/n/k${i}`);
    // A chain of desired maps, each the last with a few statuses replaced, as StatusAssembly makes them.
    const chain: ReadonlyMap<string, DesiredStatus>[] = [new Map(keys.map((key) => [key, desired(key)]))];
    for (let i = 0; i < 40; i += 1) {
      const last = chain[chain.length - 1] as ReadonlyMap<string, DesiredStatus>;
      const replaced = new Map(Array.from({ length: random(3) }, () => keys[random(keys.length)] as string).map((key) => [key, desired(key)]));
      chain.push(PatchedMap.of(last, replaced));
    }
    const pick = (): ReadonlyMap<string, DesiredStatus> => chain[random(chain.length)] as ReadonlyMap<string, DesiredStatus>;
    let checked = 0;
    for (let round = 0; round < 400; round += 1) {
      const before = { desired: pick(), lastGood: pick() };
      const now = { desired: pick(), lastGood: pick() };
      const [stateBefore, stateNow] = [states[random(states.length)] as FleetState, states[random(states.length)] as FleetState];
      const named = maybeChanged(before, now);
      expect(named).toBeDefined();
      for (const key of keys) {
        const [a, b] = [before.desired.get(key) as DesiredStatus, now.desired.get(key) as DesiredStatus];
        const differs = a !== b || !same(programmedCondition(key, a, stateBefore, before.lastGood), programmedCondition(key, b, stateNow, now.lastGood));
        if (differs) { expect(named?.has(key)).toBe(true); checked += 1; }
      }
    }
    // The cases exercised something: statuses that did change.
    expect(checked).toBeGreaterThan(100);
  });

  it('is undefined for maps that are not patches of one another', () => {
    const map = new Map<string, DesiredStatus>();
    expect(maybeChanged({ desired: map, lastGood: map }, { desired: new Map(), lastGood: map })).toBeUndefined();
  });
});

