/**
 * Exponential backoff with a cap and jitter, shared by the informers' reconnect loop, the leader
 * elector and the status writer. Pure: the random source is injected so tests are exact.
 */
export interface BackoffOptions {
  /** First delay. */
  readonly initialMs?: number;
  /** No delay exceeds this. */
  readonly maxMs?: number;
  readonly factor?: number;
  /** 0..1: how much of each delay is randomised (downwards, so the cap holds). */
  readonly jitter?: number;
}

export type BackoffPolicy = Required<BackoffOptions>;

const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.3 };

export function backoffPolicy(options: BackoffOptions = {}): BackoffPolicy {
  const policy = { ...DEFAULT_BACKOFF, ...options };
  if (!(policy.initialMs > 0) || !(policy.maxMs >= policy.initialMs) || !(policy.factor >= 1)) {
    throw new RangeError(`invalid backoff ${JSON.stringify(policy)}: need 0 < initialMs <= maxMs and factor >= 1`);
  }
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) throw new RangeError(`backoff jitter ${policy.jitter} is not in 0..1`);
  return policy;
}

/**
 * Delay before retry number `attempt` (0 = first retry). Jitter spreads replicas that failed
 * together (an API server restart) so they do not come back in lockstep.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  // Cap the exponent too, so a long outage cannot overflow to Infinity.
  const exponent = Math.min(Math.max(attempt, 0), 64);
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** exponent);
  return Math.round(base * (1 - policy.jitter * random()));
}
