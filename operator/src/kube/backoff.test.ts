import { backoffDelay, backoffPolicy } from './backoff';

describe('backoffDelay', () => {
  const policy = backoffPolicy({ initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0.5 });

  it('doubles from the initial delay and stops at the cap', () => {
    const noJitter = (): number => 0;
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, noJitter))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('jitters downwards only, so the cap holds', () => {
    expect(backoffDelay(10, policy, () => 0.999_999)).toBe(500);
    expect(backoffDelay(0, policy, () => 0.5)).toBe(75);
  });

  it('survives very long outages without overflowing', () => {
    expect(backoffDelay(10_000, policy, () => 0)).toBe(1_000);
  });

  it('rejects nonsense policies', () => {
    expect(() => backoffPolicy({ initialMs: 0 })).toThrow(RangeError);
    expect(() => backoffPolicy({ initialMs: 100, maxMs: 10 })).toThrow(RangeError);
    expect(() => backoffPolicy({ jitter: 2 })).toThrow(RangeError);
  });
});
