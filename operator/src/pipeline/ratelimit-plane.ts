/**
 * The rate-limit "plane": the rate-limit fleet's snapshot (one RateLimitConfig, xds-server's
 * translateRateLimitConfig) for envoyproxy/ratelimit, and its part in a ThrottlePolicy's
 * Programmed condition: a limit holds only once Envoy sends the descriptors (the Envoy fleet's
 * ACK) and ratelimit knows the limits (this fleet's ACK).
 */
import { rateLimitFleet, translateRateLimitConfig, type GatewayIR, type NodeAckState, type SnapshotCache } from '@turnpike/xds-server';
import type { Logger } from '../log';
import type { ConditionValue } from '../translate';
import { fleetState, notProgrammed, type FleetMembers, type FleetState } from './programmed';

/** Kinds whose limits live in the rate-limit service. */
export const RATE_LIMIT_KINDS: ReadonlySet<string> = new Set(['ThrottlePolicy']);

const RATE_LIMIT_SERVICES: FleetMembers = {
  one: 'rate-limit service',
  many: 'rate-limit service(s)',
  rejected: (nodeId, _typeUrl, message) => `ratelimit ${nodeId} rejected the configuration: ${message}`,
};

export class RateLimitPlane {
  readonly fleet: string;
  #served: string | undefined;
  /** Whether the gateway has a rate-limit service; without one only Fast limits are served, by Envoy alone. */
  #inUse = false;
  #state: FleetState = { kind: 'Pending', message: 'No rate-limit configuration served yet.' };

  constructor(
    private readonly cache: SnapshotCache,
    envoyFleet: string,
    private readonly nodes: () => readonly NodeAckState[],
    private readonly log: Logger,
  ) {
    this.fleet = rateLimitFleet(envoyFleet);
  }

  /** Serves the RateLimitConfig of a translation (nothing without a rate-limit service). */
  update(ir: GatewayIR): void {
    this.#inUse = ir.rateLimit !== undefined;
    if (!this.#inUse) return;
    const result = this.cache.set(this.fleet, translateRateLimitConfig(ir));
    if (result.status === 'rejected') {
      const problems = result.problems.map((p) => p.message).join('; ');
      this.log.error('rate-limit snapshot failed validation; ratelimit keeps the last good one', { problems });
      this.#state = { kind: 'Rejected', message: `The control plane refused the rate-limit configuration: ${problems}` };
      return;
    }
    if (result.status === 'updated') this.log.info('serving rate-limit snapshot', { version: result.snapshot.version, fleet: this.fleet });
    this.#served = result.snapshot.version;
  }

  /** What Programmed of this plane's objects depends on, compared by identity between ADS events. */
  stamp(): readonly unknown[] {
    return [this.#inUse, this.#state.kind, 'message' in this.#state ? this.#state.message : ''];
  }

  /** Re-derives the plane's state from the latest ACKs (call on every ADS event). */
  refresh(): void {
    const snapshot = this.cache.get(this.fleet);
    if (snapshot === undefined || this.#served !== snapshot.version) return;
    this.#state = fleetState(snapshot, this.nodes(), RATE_LIMIT_SERVICES);
  }

  /** Programmed for a ThrottlePolicy: Envoy's verdict, unless the rate-limit service's is worse. */
  programmed(envoy: ConditionValue): ConditionValue {
    const state = this.#state;
    return !this.#inUse || envoy.status !== 'True' || state.kind === 'Programmed' ? envoy : notProgrammed(state);
  }
}
