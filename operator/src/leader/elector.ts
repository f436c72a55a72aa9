/**
 * Leader election on a coordination.k8s.io/v1 Lease, after client-go: every replica runs an
 * elector; the holder renews every retryPeriod and steps down when it cannot renew for
 * renewDeadline (< leaseDuration, so it stops before anyone else may start). Writes carry the
 * Lease's resourceVersion, so two candidates never both win. After losing, a replica goes back
 * to being a candidate: it keeps translating and serving xDS, only status writing moves.
 */
import type { Logger } from '../log';
import { LEASES, objectPath, type CallOptions, type KubeClient } from '../kube/client';
import { delay, describeError, httpStatus } from '../kube/errors';
import {
  DEFAULT_TIMINGS, JITTER_FACTOR, acquiredRecord, mayAcquire, microTime, releasedRecord, sameRecord, timeMs, validateTimings,
  type Lease, type LeaseRecord, type LeaseTimings,
} from './lease';

export interface LeaderElectorOptions {
  readonly kube: KubeClient;
  /** The Lease: in the operator's own namespace (the RBAC Role grants only there). */
  readonly namespace: string;
  readonly name: string;
  /** Unique per replica (pod name); two replicas with one identity would both lead. */
  readonly identity: string;
  readonly log: Logger;
  readonly timings?: Partial<LeaseTimings>;
  readonly onStartedLeading?: () => void;
  readonly onStoppedLeading?: () => void;
}

function fromLease(lease: Lease): LeaseRecord {
  const spec = lease.spec;
  const acquireTimeMs = timeMs(spec?.acquireTime);
  const renewTimeMs = timeMs(spec?.renewTime);
  return {
    holderIdentity: spec?.holderIdentity ?? '',
    leaseDurationSeconds: spec?.leaseDurationSeconds ?? 0,
    ...(acquireTimeMs === undefined ? {} : { acquireTimeMs }),
    ...(renewTimeMs === undefined ? {} : { renewTimeMs }),
    leaseTransitions: spec?.leaseTransitions ?? 0,
  };
}

function toLease(meta: { name: string; namespace: string; resourceVersion?: string }, record: LeaseRecord): Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: meta,
    spec: {
      holderIdentity: record.holderIdentity,
      leaseDurationSeconds: record.leaseDurationSeconds,
      ...(record.acquireTimeMs === undefined ? {} : { acquireTime: microTime(record.acquireTimeMs) }),
      ...(record.renewTimeMs === undefined ? {} : { renewTime: microTime(record.renewTimeMs) }),
      leaseTransitions: record.leaseTransitions,
    },
  };
}

export class LeaderElector {
  private readonly kube: KubeClient;
  private readonly timings: LeaseTimings;
  private readonly log: Logger;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private leading = false;
  private observed: LeaseRecord | undefined;
  private observedAtMs = 0;
  /** Fires renewDeadline after the last successful renewal: stepping down is never late. */
  private deadline: NodeJS.Timeout | undefined;

  constructor(private readonly options: LeaderElectorOptions) {
    this.kube = options.kube;
    this.timings = validateTimings({ ...DEFAULT_TIMINGS, ...options.timings });
    this.log = options.log.child({ component: 'leader', lease: `${options.namespace}/${options.name}`, identity: options.identity });
  }

  /** Starts campaigning in the background; callbacks report the outcome. */
  start(): void {
    if (this.loop !== undefined) throw new Error('leader elector already started');
    this.loop = this.run();
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder this replica last observed ('' when the lease is free). */
  leader(): string | undefined {
    return this.observed?.holderIdentity;
  }

  /**
   * Stops campaigning. A leader steps down (onStoppedLeading) and, unless `release` is false,
   * clears the holder so another replica takes over at its next retry instead of waiting for
   * the lease to expire.
   */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.abort.abort();
    await this.loop;
    // An attempt that completed after stop() began may hold the lease without leading: release too.
    const held = this.leading || this.observed?.holderIdentity === this.options.identity;
    this.stepDown('stopping');
    if (held && (options.release ?? true)) await this.release();
  }

  /** A method, so checks after an await are not narrowed away. */
  private stopping(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const { retryPeriodMs } = this.timings;
    while (!this.stopping()) {
      const attemptStartMs = Date.now();
      if (await this.tryAcquireOrRenew(attemptStartMs)) {
        // Measured from when the attempt began: the server's copy cannot be older than that.
        this.armDeadline(attemptStartMs);
        if (!this.leading && !this.stopping()) this.stepUp();
      }
      // Candidates jitter so replicas that failed together do not retry together.
      const wait = this.leading ? retryPeriodMs : retryPeriodMs * (1 + Math.random() * JITTER_FACTOR);
      await delay(wait, this.abort.signal);
    }
  }

  private stepUp(): void {
    this.leading = true;
    this.log.info('started leading');
    this.notify(this.options.onStartedLeading, 'onStartedLeading');
  }

  private stepDown(why: string): void {
    clearTimeout(this.deadline);
    this.deadline = undefined;
    if (!this.leading) return;
    this.leading = false;
    this.log.info('stopped leading', { why });
    this.notify(this.options.onStoppedLeading, 'onStoppedLeading');
  }

  /** A throwing callback must not kill the election loop (or a timer) with it. */
  private notify(callback: (() => void) | undefined, name: string): void {
    try {
      callback?.();
    } catch (err) {
      this.log.error(`${name} failed`, { err });
    }
  }

  private armDeadline(renewedAtMs: number): void {
    clearTimeout(this.deadline);
    const remaining = renewedAtMs + this.timings.renewDeadlineMs - Date.now();
    this.deadline = setTimeout(() => { this.stepDown('could not renew within renewDeadline'); }, Math.max(remaining, 0));
  }

  private observe(record: LeaseRecord, nowMs: number): void {
    if (sameRecord(record, this.observed)) return;
    if (record.holderIdentity !== this.observed?.holderIdentity && record.holderIdentity !== '') {
      this.log.info('leader observed', { holder: record.holderIdentity });
    }
    this.observed = record;
    this.observedAtMs = nowMs;
  }

  private requestOptions(): CallOptions {
    return { timeoutMs: this.timings.renewDeadlineMs };
  }

  private leasePath(): string {
    return objectPath(LEASES, this.options.namespace, this.options.name);
  }

  /** One attempt; true when this replica holds the lease afterwards. Never throws. */
  private async tryAcquireOrRenew(nowMs: number): Promise<boolean> {
    const { namespace, name, identity } = this.options;
    let lease: Lease;
    try {
      lease = await this.kube.get<Lease>(this.leasePath(), this.requestOptions());
    } catch (err) {
      if (httpStatus(err) === 404) return this.create(nowMs);
      this.log.warn('cannot read the lease', describeError(err));
      return false;
    }
    const record = fromLease(lease);
    this.observe(record, nowMs);
    if (this.leading && record.holderIdentity !== identity) {
      this.stepDown(`lease taken by ${record.holderIdentity || 'nobody'}`);
    }
    if (!mayAcquire(record, identity, this.observedAtMs, nowMs)) return false;
    const next = acquiredRecord(record, identity, this.timings.leaseDurationMs, nowMs);
    const resourceVersion = lease.metadata?.resourceVersion;
    try {
      await this.kube.replace(this.leasePath(), toLease({ name, namespace, ...(resourceVersion === undefined ? {} : { resourceVersion }) }, next), this.requestOptions());
    } catch (err) {
      // 409: another candidate wrote first (resourceVersion precondition); it won this round.
      if (httpStatus(err) === 409) this.log.debug('lost the race for the lease');
      else this.log.warn('cannot update the lease', describeError(err));
      return false;
    }
    this.observe(next, nowMs);
    return true;
  }

  private async create(nowMs: number): Promise<boolean> {
    const { namespace, name, identity } = this.options;
    const record = acquiredRecord(undefined, identity, this.timings.leaseDurationMs, nowMs);
    try {
      await this.kube.create(objectPath(LEASES, namespace), toLease({ name, namespace }, record), this.requestOptions());
    } catch (err) {
      if (httpStatus(err) === 409) this.log.debug('another candidate created the lease first');
      else this.log.warn('cannot create the lease', describeError(err));
      return false;
    }
    this.observe(record, nowMs);
    return true;
  }

  private async release(): Promise<void> {
    const { namespace, name, identity } = this.options;
    try {
      const lease = await this.kube.get<Lease>(this.leasePath(), this.requestOptions());
      const record = fromLease(lease);
      if (record.holderIdentity !== identity) return;
      const resourceVersion = lease.metadata?.resourceVersion;
      await this.kube.replace(this.leasePath(), toLease({ name, namespace, ...(resourceVersion === undefined ? {} : { resourceVersion }) }, releasedRecord(record, Date.now())), this.requestOptions());
      this.log.info('released the lease');
    } catch (err) {
      // Not fatal: the lease simply expires after leaseDuration.
      this.log.warn('cannot release the lease; it will expire', describeError(err));
    }
  }
}
