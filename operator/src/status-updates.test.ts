import type { SourceKind } from '@turnpike/xds-server';
import type { ObjectStatus } from './pipeline';
import { PatchedMap } from './resources/patched-map';
import { StatusUpdates } from './status-updates';

const TRUE = { status: 'True', reason: 'Accepted', message: '' } as const;
const status = (kind: SourceKind, name: string, generation = 1): ObjectStatus => ({
  source: { kind, namespace: 'n', name }, generation, accepted: TRUE, resolvedRefs: TRUE, programmed: TRUE, fields: {},
});
const mapOf = (statuses: readonly ObjectStatus[]): ReadonlyMap<string, ObjectStatus> =>
  new Map(statuses.map((s) => [`${s.source.kind}/${s.source.namespace}/${s.source.name}`, s]));

describe('StatusUpdates', () => {
  it('hands the writer every object with a status of its own, and the same update for the same status', () => {
    const updates = new StatusUpdates();
    const a = status('Api', 'a');
    const first = updates.next(mapOf([a, status('Secret', 's'), status('GatewayConfig', 'g'), status('App', 'b')]));
    expect([...first.keys()]).toEqual(['Api/n/a', 'App/n/b']);
    expect(first.get('Api/n/a')).toMatchObject({ ref: { kind: 'Api', namespace: 'n', name: 'a', generation: 1 }, status: { observedGeneration: 1 } });
    const b2 = status('App', 'b', 2);
    const second = updates.next(mapOf([a, status('Secret', 's'), status('GatewayConfig', 'g'), b2]));
    expect(second).not.toBe(first);
    expect(second.get('Api/n/a')).toBe(first.get('Api/n/a'));
    expect(second.get('App/n/b')?.ref.generation).toBe(2);
    expect([...second.keys()]).toEqual(['Api/n/a', 'App/n/b']);
  });

  it('follows added and removed objects', () => {
    const updates = new StatusUpdates();
    const a = status('Api', 'a');
    updates.next(mapOf([a]));
    expect([...updates.next(mapOf([a, status('Api', 'c')])).keys()]).toEqual(['Api/n/a', 'Api/n/c']);
    expect([...updates.next(mapOf([status('Api', 'c')])).keys()]).toEqual(['Api/n/c']);
    expect([...updates.next(mapOf([status('Api', 'd')])).keys()]).toEqual(['Api/n/d']);
  });

  it('follows statuses patched from the last ones by their differences, as a walk would', () => {
    const updates = new StatusUpdates();
    const first = mapOf([status('Api', 'a'), status('Secret', 's'), status('App', 'b')]);
    const before = updates.next(first);
    const patched = PatchedMap.of(first, new Map([['App/n/b', status('App', 'b', 3)], ['Secret/n/s', status('Secret', 's', 2)]]));
    const after = updates.next(patched);
    expect([...after.keys()]).toEqual(['Api/n/a', 'App/n/b']);
    expect(after.get('Api/n/a')).toBe(before.get('Api/n/a'));
    expect(after.get('App/n/b')?.ref.generation).toBe(3);
    expect([...after.entries()]).toEqual([...new StatusUpdates().next(new Map(patched)).entries()]);
  });
});

