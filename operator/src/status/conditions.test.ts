import { mergeConditions, mergeStatus, rfc3339, sameStatus, statusPatch, type StatusCondition } from './conditions';

const T0 = '2025-01-01T00:00:00Z';
const NOW = '2025-06-01T12:00:00Z';
const cond = (type: string, status: StatusCondition['status'], reason = type, extra: Partial<StatusCondition> = {}): StatusCondition => ({
  type, status, reason, message: '', ...extra,
});

describe('mergeConditions', () => {
  it('keeps lastTransitionTime while the status holds, even when reason and message change', () => {
    const current = [cond('Accepted', 'True', 'Accepted', { lastTransitionTime: T0, observedGeneration: 1 })];
    const merged = mergeConditions(current, [cond('Accepted', 'True', 'Accepted', { message: 'now with words' })], 2, NOW);
    expect(merged).toEqual([{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'now with words', observedGeneration: 2, lastTransitionTime: T0 }]);
  });

  it('stamps now on a status change and on a new condition', () => {
    const current = [cond('Accepted', 'True', 'Accepted', { lastTransitionTime: T0 })];
    const merged = mergeConditions(current, [cond('Accepted', 'False', 'Invalid'), cond('Programmed', 'Unknown', 'Pending')], 3, NOW);
    expect(merged.map((c) => [c.type, c.lastTransitionTime, c.observedGeneration])).toEqual([
      ['Accepted', NOW, 3],
      ['Programmed', NOW, 3],
    ]);
  });

  it("uses the caller's time for a transition when it gives one, and its observedGeneration", () => {
    const merged = mergeConditions([], [cond('Accepted', 'True', 'Accepted', { lastTransitionTime: T0, observedGeneration: 7 })], 9, NOW);
    expect(merged[0]).toMatchObject({ lastTransitionTime: T0, observedGeneration: 7 });
  });

  it('drops conditions that are no longer desired', () => {
    const current = [cond('Accepted', 'True', 'Accepted', { lastTransitionTime: T0 }), cond('Stale', 'True', 'Old', { lastTransitionTime: T0 })];
    expect(mergeConditions(current, [cond('Accepted', 'True')], 1, NOW).map((c) => c.type)).toEqual(['Accepted']);
  });
});

describe('mergeStatus and sameStatus', () => {
  const current = {
    observedGeneration: 2,
    appKey: 'key-1',
    conditions: [cond('ResolvedRefs', 'True', 'ResolvedRefs', { lastTransitionTime: T0, observedGeneration: 2 }), cond('Accepted', 'True', 'Accepted', { lastTransitionTime: T0, observedGeneration: 2 })],
  };

  it('finds nothing to write when only lastTransitionTime or condition order would differ', () => {
    const desired = { observedGeneration: 2, appKey: 'key-1', conditions: [cond('Accepted', 'True'), cond('ResolvedRefs', 'True')] };
    const next = mergeStatus(current, desired, NOW);
    expect(sameStatus(current, next)).toBe(true);
    expect(sameStatus(current, { ...next, conditions: (next.conditions as StatusCondition[]).map((c) => ({ ...c, lastTransitionTime: NOW })) })).toBe(true);
  });

  it('sees a new generation, a changed kind-specific field or a changed message', () => {
    const base = { observedGeneration: 2, appKey: 'key-1', conditions: [cond('Accepted', 'True'), cond('ResolvedRefs', 'True')] };
    expect(sameStatus(current, mergeStatus(current, { ...base, observedGeneration: 3 }, NOW))).toBe(false);
    expect(sameStatus(current, mergeStatus(current, { ...base, appKey: 'key-2' }, NOW))).toBe(false);
    expect(sameStatus(current, mergeStatus(current, { ...base, conditions: [cond('Accepted', 'True', 'Accepted', { message: 'x' }), cond('ResolvedRefs', 'True')] }, NOW))).toBe(false);
  });

  it('treats a missing status as different from any desired one', () => {
    expect(sameStatus(undefined, mergeStatus(undefined, { observedGeneration: 1, conditions: [cond('Accepted', 'True')] }, NOW))).toBe(false);
  });
});

describe('statusPatch', () => {
  it('deletes, with null, top-level fields the new status no longer has', () => {
    expect(statusPatch({ subdomain: 'a.b', observedGeneration: 1 }, { observedGeneration: 2, conditions: [] })).toEqual({ subdomain: null, observedGeneration: 2, conditions: [] });
    expect(statusPatch(undefined, { observedGeneration: 2 })).toEqual({ observedGeneration: 2 });
  });
});

describe('rfc3339', () => {
  it('prints whole seconds like metav1.Time', () => {
    expect(rfc3339(Date.UTC(2025, 5, 1, 12, 0, 0, 999))).toBe(NOW);
  });
});
