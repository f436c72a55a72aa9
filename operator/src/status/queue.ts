/**
 * The status writer's flow control, pure and clock-injected: a token bucket that spaces API
 * requests (thousands of objects become a steady trickle, not a flood) and a de-duplicating key
 * queue (a key waiting or in flight is never queued twice; re-adding an in-flight key runs it
 * once more afterwards, with the newest desired state).
 */

export class TokenBucket {
  private tokens: number;
  private updatedMs: number;

  constructor(
    private readonly qps: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(qps > 0) || !(burst >= 1)) throw new RangeError('token bucket needs qps > 0 and burst >= 1');
    this.tokens = burst;
    this.updatedMs = now();
  }

  /** Takes a token and returns how long to wait before using it (0 when one was available). */
  reserve(): number {
    const nowMs = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.updatedMs) * this.qps) / 1000);
    this.updatedMs = nowMs;
    this.tokens -= 1;
    // A negative balance is a reservation: callers queue behind each other in order.
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.qps);
  }
}

export class KeyQueue {
  private readonly order: string[] = [];
  private readonly waiting = new Set<string>();
  private readonly processing = new Set<string>();
  /** Keys re-added while in flight. */
  private readonly again = new Set<string>();

  add(key: string): void {
    if (this.processing.has(key)) {
      this.again.add(key);
      return;
    }
    if (this.waiting.has(key)) return;
    this.waiting.add(key);
    this.order.push(key);
  }

  /** The next key to process, now marked in flight; undefined when none waits. */
  next(): string | undefined {
    const key = this.order.shift();
    if (key === undefined) return undefined;
    this.waiting.delete(key);
    this.processing.add(key);
    return key;
  }

  /** Marks `key` done; it is queued again if it was re-added meanwhile. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.again.delete(key)) this.add(key);
  }

  /** Drops every waiting key (in-flight ones finish but are not re-run). */
  clear(): void {
    this.order.length = 0;
    this.waiting.clear();
    this.again.clear();
  }

  get waitingCount(): number {
    return this.order.length;
  }

  get inFlightCount(): number {
    return this.processing.size;
  }
}
