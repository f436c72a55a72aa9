/**
 * Pure leader-election rules over a coordination.k8s.io/v1 Lease record, after client-go's
 * leaderelection package. Times are milliseconds; the elector converts to and from MicroTime.
 */

/** The fields of a coordination.k8s.io/v1 Lease that the elector and the census read and write. */
export interface Lease {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec?: {
    readonly holderIdentity?: string;
    readonly leaseDurationSeconds?: number;
    /** MicroTime: RFC 3339 with six fractional digits. */
    readonly acquireTime?: string;
    readonly renewTime?: string;
    readonly leaseTransitions?: number;
  };
}

/** The fields of Lease.spec that election uses. */
export interface LeaseRecord {
  /** '' when nobody holds the lease (it was released). */
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTimeMs?: number;
  readonly renewTimeMs?: number;
  readonly leaseTransitions: number;
}

export interface LeaseTimings {
  /** How long a lease is valid after the last renewal seen (client-go default 15 s). */
  readonly leaseDurationMs: number;
  /** The leader gives up if it cannot renew for this long (default 10 s). */
  readonly renewDeadlineMs: number;
  /** Pause between attempts to acquire or renew (default 2 s). */
  readonly retryPeriodMs: number;
}

export const DEFAULT_TIMINGS: LeaseTimings = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

/** client-go's JitterFactor: acquire attempts are spread over [retryPeriod, 2.2 × retryPeriod). */
export const JITTER_FACTOR = 1.2;

/**
 * The leader must give up before anyone else may take over: renewDeadline < leaseDuration, and
 * renewDeadline leaves room for a jittered retry (client-go's checks).
 */
export function validateTimings(t: LeaseTimings): LeaseTimings {
  if (!(t.leaseDurationMs > t.renewDeadlineMs)) throw new RangeError('leaseDuration must be greater than renewDeadline');
  if (!(t.renewDeadlineMs > JITTER_FACTOR * t.retryPeriodMs)) throw new RangeError('renewDeadline must be greater than retryPeriod × 1.2');
  if (!(t.retryPeriodMs > 0)) throw new RangeError('retryPeriod must be positive');
  if (t.leaseDurationMs % 1000 !== 0) throw new RangeError('leaseDuration must be whole seconds (Lease.spec.leaseDurationSeconds)');
  return t;
}

/**
 * True when `identity` may take or keep the lease at `nowMs`. Expiry is measured from when this
 * replica last saw the record change (`observedAtMs`, its own clock), not from renewTime,
 * so clock skew between replicas cannot shorten anyone's lease.
 */
export function mayAcquire(record: LeaseRecord | undefined, identity: string, observedAtMs: number, nowMs: number): boolean {
  if (record === undefined || record.holderIdentity === '' || record.holderIdentity === identity) return true;
  return observedAtMs + record.leaseDurationSeconds * 1000 <= nowMs;
}

/** The record to write to acquire (or renew, when already held) the lease. */
export function acquiredRecord(record: LeaseRecord | undefined, identity: string, leaseDurationMs: number, nowMs: number): LeaseRecord {
  const renewing = record !== undefined && record.holderIdentity === identity;
  const transitions = record?.leaseTransitions ?? 0;
  return {
    holderIdentity: identity,
    leaseDurationSeconds: Math.round(leaseDurationMs / 1000),
    acquireTimeMs: renewing ? (record.acquireTimeMs ?? nowMs) : nowMs,
    renewTimeMs: nowMs,
    // A new holder counts a transition; the first ever holder does not.
    leaseTransitions: renewing || record === undefined ? transitions : transitions + 1,
  };
}

/** The record that hands the lease back: no holder, so the next candidate need not wait. */
export function releasedRecord(record: LeaseRecord, nowMs: number): LeaseRecord {
  return { holderIdentity: '', leaseDurationSeconds: 1, acquireTimeMs: nowMs, renewTimeMs: nowMs, leaseTransitions: record.leaseTransitions };
}

/** Two records are the same observation (used to decide when the observed time restarts). */
export function sameRecord(a: LeaseRecord | undefined, b: LeaseRecord | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Lease.spec MicroTime/RFC 3339 value → milliseconds. */
export function timeMs(value: string | undefined): number | undefined {
  const ms = value === undefined ? NaN : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Milliseconds → MicroTime, which the API server parses with exactly six fractional digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
