import type { ConditionValue, DesiredStatus } from '../translate';
import { ObjectStatuses } from './statuses';

const TRUE: ConditionValue = { status: 'True', reason: 'Accepted', message: '' };
const desired = (name: string, generation = 1): DesiredStatus => ({
  source: { kind: 'Api', namespace: 'n', name }, generation, accepted: TRUE, resolvedRefs: { ...TRUE, reason: 'ResolvedRefs' }, inIR: true, fields: {},
});
const programmed = (status: ConditionValue['status']): ConditionValue => ({ status, reason: status === 'True' ? 'Programmed' : 'Pending', message: '' });

describe('ObjectStatuses', () => {
  it('keeps the map and every ObjectStatus while nothing changed, even with fresh Programmed values', () => {
    const statuses = new ObjectStatuses();
    const world = new Map([['Api/n/a', desired('a')], ['Api/n/b', desired('b')]]);
    const first = statuses.derive(world, () => programmed('Unknown'));
    expect(statuses.derive(world, () => programmed('Unknown'))).toBe(first);
  });

  it('replaces only the statuses whose desired status or Programmed changed', () => {
    const statuses = new ObjectStatuses();
    const a = desired('a');
    const first = statuses.derive(new Map([['Api/n/a', a], ['Api/n/b', desired('b')]]), () => programmed('Unknown'));
    const second = statuses.derive(new Map([['Api/n/a', a], ['Api/n/b', desired('b', 2)]]), () => programmed('Unknown'));
    expect(second).not.toBe(first);
    expect(second.get('Api/n/a')).toBe(first.get('Api/n/a'));
    expect(second.get('Api/n/b')?.generation).toBe(2);
    const third = statuses.derive(new Map([['Api/n/a', a], ['Api/n/b', desired('b', 2)]]), (key) => programmed(key === 'Api/n/a' ? 'True' : 'Unknown'));
    expect(third.get('Api/n/a')?.programmed.status).toBe('True');
    expect(third.get('Api/n/b')?.generation).toBe(2);
    // A removed object is a change too.
    expect([...statuses.derive(new Map([['Api/n/a', a]]), () => programmed('True')).keys()]).toEqual(['Api/n/a']);
  });

  it('derives the same statuses patching the previous map as building a new one', () => {
    const patching = new ObjectStatuses();
    const building = new ObjectStatuses();
    const keys = ['a', 'b', 'c', 'd'];
    const worlds = [
      keys.map((k) => desired(k)),
      keys.map((k) => desired(k, k === 'c' ? 2 : 1)),
      keys.map((k) => desired(k, k === 'c' ? 2 : 1)),
      // A key swapped for another of the same count: not the same keys, built anew.
      ['a', 'b', 'c', 'e'].map((k) => desired(k)),
    ];
    worlds.forEach((world, round) => {
      const map = new Map(world.map((d) => [`Api/n/${d.source.name}`, d]));
      const value = (key: string): ConditionValue => programmed(round >= 2 && key === 'Api/n/b' ? 'True' : 'Unknown');
      const patched = patching.derive(map, value);
      building.derive(new Map(), value);
      const built = building.derive(map, value);
      expect([...patched.entries()]).toEqual([...built.entries()]);
    });
  });
});

