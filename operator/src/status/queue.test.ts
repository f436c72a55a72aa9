import { newer } from './known';
import { KeyQueue, TokenBucket } from './queue';

describe('TokenBucket', () => {
  it('allows a burst, then spaces requests at qps, reservations queueing in order', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 2, () => now);
    expect([bucket.reserve(), bucket.reserve()]).toEqual([0, 0]);
    expect(bucket.reserve()).toBe(100);
    expect(bucket.reserve()).toBe(200);
    now = 1_000;
    // 10 tokens refilled, 2 owed: the bucket is full again (capped at the burst).
    expect([bucket.reserve(), bucket.reserve(), bucket.reserve()]).toEqual([0, 0, 100]);
  });
});

describe('KeyQueue', () => {
  it('de-duplicates waiting keys and keeps arrival order', () => {
    const queue = new KeyQueue();
    for (const key of ['a', 'b', 'a', 'c', 'b']) queue.add(key);
    expect([queue.next(), queue.next(), queue.next(), queue.next()]).toEqual(['a', 'b', 'c', undefined]);
  });

  it('runs a key re-added while in flight once more, after it is done', () => {
    const queue = new KeyQueue();
    queue.add('a');
    expect(queue.next()).toBe('a');
    queue.add('a');
    queue.add('a');
    expect(queue.next()).toBeUndefined();
    queue.done('a');
    expect(queue.next()).toBe('a');
    queue.done('a');
    expect(queue.next()).toBeUndefined();
    expect(queue.inFlightCount).toBe(0);
  });

  it('clear() drops waiting keys and pending re-runs', () => {
    const queue = new KeyQueue();
    queue.add('a');
    queue.add('b');
    expect(queue.next()).toBe('a');
    queue.add('a');
    queue.clear();
    queue.done('a');
    expect(queue.next()).toBeUndefined();
    expect(queue.waitingCount).toBe(0);
  });
});

describe('newer', () => {
  it('orders integer resourceVersions and refuses to guess otherwise', () => {
    expect(newer('10', '9')).toBe('first');
    expect(newer('9', '10')).toBe('second');
    expect(newer('12345678901234567890', '12345678901234567891')).toBe('second');
    expect(newer('7', '7')).toBe('same');
    expect(newer('abc', '7')).toBe('unknown');
  });
});
