/**
 * Writes status.conditions (and kind-specific status fields) of Turnpike objects.
 *
 * Level-triggered: update() takes the complete desired state; observe() takes the complete
 * world from the informers, so the writer knows every object's current status without reading
 * it. A key is written only when its merged status differs from the current one ignoring
 * lastTransitionTime, only while this replica leads, through a token bucket, with the object's
 * resourceVersion as precondition (a conflict re-reads and retries). Objects that no longer
 * exist are dropped.
 */
import { GROUP, PLURALS, VERSION } from '../api';
import type { Logger } from '../log';
import { backoffDelay, backoffPolicy, type BackoffPolicy } from '../kube/backoff';
import { delay, describeError, httpStatus, isTransient } from '../kube/errors';
import { objectPath, type KubeClient } from '../kube/client';
import { PatchedMap } from '../resources/patched-map';
import type { KubeObject, ResourceSet } from '../resources/resourceset';
import { mergeStatus, rfc3339, sameStatus, statusPatch } from './conditions';
import { KeyQueue, TokenBucket } from './queue';
import { newer, snapshotOf, statusKey, type Known } from './known';
import { ObservedObjects } from './observed';
import type { StatusUpdate, StatusWriterOptions, StatusWriterStats } from './types';

export type { StatusRef, StatusUpdate, StatusWriterOptions, StatusWriterStats } from './types';

/** Updates keyed as StatusWriter.update takes them. */
export function byStatusKey(updates: readonly StatusUpdate[]): ReadonlyMap<string, StatusUpdate> {
  return new Map(updates.map((update) => [statusKey(update.ref), update]));
}

type Outcome = 'done' | 'retry' | 'gone' | 'rejected';

export class StatusWriter {
  private readonly kube: KubeClient;
  private readonly log: Logger;
  private readonly bucket: TokenBucket;
  private readonly retryPolicy: BackoffPolicy;
  private readonly queue = new KeyQueue();
  private readonly abort = new AbortController();
  private desired: ReadonlyMap<string, StatusUpdate> = new Map();
  private readonly observed = new ObservedObjects();
  /** What this writer read or wrote itself, until the informers catch up with it. */
  private readonly written = new Map<string, Known>();
  private readonly attempts = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Desired states the server refused for good (a 4xx), by key: not retried until they change. */
  private readonly rejected = new Map<string, string>();
  private readonly counters = { gets: 0, patches: 0, unchanged: 0, conflicts: 0, gone: 0, failures: 0 };
  private readonly idleWaiters: (() => void)[] = [];
  private leading = false;
  private active = 0;

  constructor(private readonly options: StatusWriterOptions) {
    this.kube = options.kube;
    this.log = options.log.child({ component: 'status' });
    this.bucket = new TokenBucket(options.qps ?? 20, options.burst ?? 40);
    this.retryPolicy = backoffPolicy({ initialMs: 250, maxMs: 60_000, ...options.retry });
  }

  /**
   * Replaces the desired state (by statusKey, see byStatusKey); keys whose desired status changed
   * are (re)examined. Nothing is copied: callers hand over a new map, the same update object for
   * an unchanged status (a copy is compared by value).
   */
  update(desired: ReadonlyMap<string, StatusUpdate>): void {
    const previous = this.desired;
    if (desired === previous) return;
    // Maps patched from one another (StatusUpdates) name their differences and share their keys.
    const differences = PatchedMap.differences(previous, desired);
    for (const key of differences ?? desired.keys()) {
      const before = previous.get(key);
      const update = desired.get(key);
      if (update !== undefined && before !== update && (before === undefined || JSON.stringify(before) !== JSON.stringify(update))) this.enqueue(key);
    }
    if (differences === undefined) previous.forEach((_, key) => { if (!desired.has(key)) this.forget(key); });
    this.desired = desired;
    this.pump();
  }

  /** The informers' latest complete set: current statuses, so unchanged objects cost no request. */
  observe(set: ResourceSet): void {
    for (const { key, before } of this.observed.follow(set)) {
      const was = this.known(key, before);
      const now = this.observed.get(key);
      const wrote = this.written.get(key);
      if (wrote !== undefined && now !== undefined && newer(now.resourceVersion, wrote.resourceVersion) !== 'second') this.written.delete(key);
      // Someone changed the object (or its status): re-examine if we have a say about it.
      if (this.desired.has(key) && was?.resourceVersion !== this.known(key)?.resourceVersion) this.enqueue(key);
    }
    this.pump();
  }

  /** Only the leader writes; on becoming leader every desired key is examined once more. */
  setLeader(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    if (leading) {
      for (const key of this.desired.keys()) this.queue.add(key);
      this.pump();
    } else {
      this.queue.clear();
      for (const timer of this.timers.values()) clearTimeout(timer);
      this.timers.clear();
      this.notifyIdle();
    }
  }

  stats(): StatusWriterStats {
    return { ...this.counters };
  }

  /** Resolves when nothing is queued, in flight or waiting to be retried. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.setLeader(false);
    this.abort.abort();
    await this.idle();
  }

  /** Followers queue nothing: becoming leader examines every desired key anyway. */
  private enqueue(key: string): void {
    if (this.leading) this.queue.add(key);
  }

  private isIdle(): boolean {
    return this.active === 0 && this.queue.waitingCount === 0 && (this.timers.size === 0 || !this.leading);
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** What is known of an object: the informers' copy or our own write, whichever is newer. */
  private known(key: string, fromInformer = this.observed.get(key)): Known | undefined {
    const own = this.written.get(key);
    if (own === undefined) return fromInformer;
    if (fromInformer === undefined) return own;
    return newer(fromInformer.resourceVersion, own.resourceVersion) === 'second' ? own : fromInformer;
  }

  private forget(key: string): void {
    this.written.delete(key);
    this.attempts.delete(key);
    this.rejected.delete(key);
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  private pump(): void {
    const workers = this.options.workers ?? 4;
    while (this.leading && !this.abort.signal.aborted && this.active < workers) {
      const key = this.queue.next();
      if (key === undefined) break;
      this.active += 1;
      void this.process(key).then((outcome) => { this.settle(key, outcome); });
    }
    this.notifyIdle();
  }

  private settle(key: string, outcome: Outcome): void {
    this.active -= 1;
    this.queue.done(key);
    if (outcome === 'retry') this.retryLater(key);
    else this.attempts.delete(key);
    if (outcome === 'gone') {
      // The desired entry stays: it is examined again only if it changes or the object reappears.
      this.counters.gone += 1;
      this.forget(key);
    }
    this.pump();
  }

  private retryLater(key: string): void {
    if (!this.leading || this.timers.has(key) || !this.desired.has(key)) return;
    const attempt = this.attempts.get(key) ?? 0;
    this.attempts.set(key, attempt + 1);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.enqueue(key);
      this.pump();
    }, backoffDelay(attempt, this.retryPolicy)));
  }

  private async throttle(): Promise<void> {
    await delay(this.bucket.reserve(), this.abort.signal);
  }

  /** Examines one key and writes it if needed. Never throws. */
  private async process(key: string): Promise<Outcome> {
    try {
      let current = this.known(key);
      if (current === undefined) {
        const fetched = await this.fetch(key);
        if (typeof fetched === 'string') return fetched;
        current = fetched;
      }
      return await this.write(key, current);
    } catch (err) {
      this.counters.failures += 1;
      this.log.error('status write failed unexpectedly', { key, err });
      return 'retry';
    }
  }

  private target(key: string): { update: StatusUpdate; path: string } | undefined {
    const update = this.desired.get(key);
    if (update === undefined || !this.leading || this.abort.signal.aborted) return undefined;
    const { kind, namespace, name } = update.ref;
    return { update, path: objectPath({ group: GROUP, version: VERSION, plural: PLURALS[kind] }, namespace, name) };
  }

  private async fetch(key: string): Promise<Known | Outcome> {
    const target = this.target(key);
    if (target === undefined) return 'done';
    await this.throttle();
    this.counters.gets += 1;
    try {
      const object = await this.kube.get<KubeObject>(target.path, { timeoutMs: this.timeout() });
      const known = snapshotOf(object);
      this.written.set(key, known);
      return known;
    } catch (err) {
      return this.failed(key, err, 'read');
    }
  }

  private async write(key: string, current: Known): Promise<Outcome> {
    const target = this.target(key);
    if (target === undefined) return 'done';
    const { ref, status } = target.update;
    if (ref.uid !== undefined && current.uid !== undefined && ref.uid !== current.uid) return 'gone';
    const next = mergeStatus(current.status, status, rfc3339(Date.now()));
    if (sameStatus(current.status, next)) {
      this.counters.unchanged += 1;
      return 'done';
    }
    const fingerprint = JSON.stringify(target.update);
    if (this.rejected.get(key) === fingerprint) return 'done';
    await this.throttle();
    if (this.target(key) === undefined) return 'done';
    const started = performance.now();
    const timed = (result: 'written' | 'failed'): void => { this.options.onWrite?.(result, (performance.now() - started) / 1000); };
    try {
      const body = { metadata: { resourceVersion: current.resourceVersion }, status: statusPatch(current.status, next) };
      const patched = await this.kube.patch<KubeObject>(`${target.path}/status`, body, 'merge', {
        timeoutMs: this.timeout(), query: { fieldManager: this.options.fieldManager ?? 'turnpike-operator' },
      });
      this.counters.patches += 1;
      timed('written');
      this.written.set(key, snapshotOf(patched));
      this.log.debug('status written', { key, generation: status.observedGeneration });
      return 'done';
    } catch (err) {
      timed('failed');
      const outcome = this.failed(key, err, 'patch');
      if (outcome === 'rejected') this.rejected.set(key, fingerprint);
      return outcome;
    }
  }

  private failed(key: string, err: unknown, what: 'read' | 'patch'): Outcome {
    const status = httpStatus(err);
    if (status === 404) return 'gone';
    this.written.delete(key);
    if (status === 409) {
      // Someone wrote since we read: read again (the retry GETs, as nothing is known now).
      this.counters.conflicts += 1;
      this.observed.delete(key);
      return 'retry';
    }
    this.counters.failures += 1;
    if (isTransient(err)) {
      this.log.warn(`status ${what} failed; will retry`, { key, ...describeError(err) });
      return 'retry';
    }
    this.log.error(`status ${what} refused; not retried until the desired status changes`, { key, ...describeError(err) });
    return 'rejected';
  }

  private timeout(): number {
    return this.options.requestTimeoutMs ?? 30_000;
  }
}
