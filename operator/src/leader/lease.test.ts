import { acquiredRecord, mayAcquire, releasedRecord, sameRecord, microTime, timeMs, validateTimings, DEFAULT_TIMINGS, type LeaseRecord } from './lease';

const held = (holderIdentity: string, leaseTransitions = 0): LeaseRecord => ({
  holderIdentity, leaseDurationSeconds: 15, acquireTimeMs: 1_000, renewTimeMs: 5_000, leaseTransitions,
});

describe('lease rules', () => {
  it('lets anyone take a missing or released lease, and the holder keep its own', () => {
    expect(mayAcquire(undefined, 'a', 0, 0)).toBe(true);
    expect(mayAcquire({ ...held(''), leaseDurationSeconds: 1 }, 'a', 0, 0)).toBe(true);
    expect(mayAcquire(held('a'), 'a', 0, 0)).toBe(true);
  });

  it('makes others wait a full lease duration from when they last saw the record change', () => {
    expect(mayAcquire(held('b'), 'a', 10_000, 24_999)).toBe(false);
    expect(mayAcquire(held('b'), 'a', 10_000, 25_000)).toBe(true);
  });

  it('renews keeping acquireTime; a takeover counts a transition and restarts acquireTime', () => {
    expect(acquiredRecord(held('a', 3), 'a', 15_000, 9_000)).toEqual({ ...held('a', 3), renewTimeMs: 9_000 });
    expect(acquiredRecord(held('b', 3), 'a', 15_000, 9_000)).toEqual({
      holderIdentity: 'a', leaseDurationSeconds: 15, acquireTimeMs: 9_000, renewTimeMs: 9_000, leaseTransitions: 4,
    });
    expect(acquiredRecord(undefined, 'a', 15_000, 9_000).leaseTransitions).toBe(0);
  });

  it('releases by clearing the holder and keeping the transition count', () => {
    expect(releasedRecord(held('a', 2), 7_000)).toEqual({ holderIdentity: '', leaseDurationSeconds: 1, acquireTimeMs: 7_000, renewTimeMs: 7_000, leaseTransitions: 2 });
  });

  it('compares records by value', () => {
    expect(sameRecord(held('a'), held('a'))).toBe(true);
    expect(sameRecord(held('a'), { ...held('a'), renewTimeMs: 6_000 })).toBe(false);
    expect(sameRecord(undefined, held('a'))).toBe(false);
  });

  it('reads and writes MicroTime strings (six fractional digits, as the API server parses them)', () => {
    expect(timeMs('2025-01-01T00:00:01.500000Z')).toBe(Date.UTC(2025, 0, 1, 0, 0, 1, 500));
    expect(microTime(Date.UTC(2025, 0, 1, 0, 0, 1, 5))).toBe('2025-01-01T00:00:01.005000Z');
    expect(timeMs(microTime(42))).toBe(42);
    expect(timeMs('garbage')).toBeUndefined();
    expect(timeMs(undefined)).toBeUndefined();
  });

  it("accepts client-go's defaults and rejects timings where the leader could outlive its lease", () => {
    expect(validateTimings(DEFAULT_TIMINGS)).toBe(DEFAULT_TIMINGS);
    expect(() => validateTimings({ leaseDurationMs: 10_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 })).toThrow(RangeError);
    expect(() => validateTimings({ leaseDurationMs: 15_000, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 })).toThrow(RangeError);
    expect(() => validateTimings({ leaseDurationMs: 15_500, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 })).toThrow(RangeError);
  });
});
