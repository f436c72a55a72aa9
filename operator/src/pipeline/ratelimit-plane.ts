/**
 * The rate-limit "plane": the rate-limit fleet's snapshot (one RateLimitConfig, xds-server's
 * translateRateLimitConfig) for envoyproxy/ratelimit, and its part in a ThrottlePolicy's
 * Programmed condition: a limit holds only once Envoy sends the descriptors (the Envoy fleet's
 * ACK) and ratelimit knows the limits (this fleet's ACK).
 */
import { rateLimitFleet, translateRateLimitConfig, type GatewayIR, type NodeAckState, type SnapshotCache } from '@turnpike/xds-server';
import type { Logger } from '../log';
import type { ConditionValue } from '../translate';

/** Kinds whose limits live in the rate-limit service. */
export const RATE_LIMIT_KINDS: ReadonlySet<string> = new Set(['ThrottlePolicy']);

type PlaneState = { readonly kind: 'Programmed' } | { readonly kind: 'Pending' | 'Rejected'; readonly message: string };

export class RateLimitPlane {
  readonly fleet: string;
  #served: string | undefined;
  /** Whether the gateway has a rate-limit service; without one only Fast limits are served, by Envoy alone. */
  #inUse = false;
  #state: PlaneState = { kind: 'Pending', message: 'No rate-limit configuration served yet.' };

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
    return [this.#state.kind, 'message' in this.#state ? this.#state.message : ''];
  }

  /** Re-derives the plane's state from the latest ACKs (call on every ADS event). */
  refresh(): void {
    const snapshot = this.cache.get(this.fleet);
    if (snapshot === undefined || this.#served !== snapshot.version) return;
    const connected = this.nodes().filter((n) => n.streams > 0);
    if (connected.length === 0) {
      this.#state = { kind: 'Pending', message: `No rate-limit service of fleet ${this.fleet} is connected yet.` };
      return;
    }
    for (const node of connected) {
      for (const [typeUrl, type] of snapshot.types) {
        const state = node.types.get(typeUrl);
        if (state?.nacked?.version === type.version && state.acked?.version !== type.version) {
          this.#state = { kind: 'Rejected', message: `ratelimit ${node.nodeId} rejected the configuration: ${state.nacked.errorMessage}` };
          return;
        }
        if (state?.acked?.version !== type.version) {
          this.#state = { kind: 'Pending', message: `Waiting for ${connected.length} rate-limit service(s) to acknowledge the configuration.` };
          return;
        }
      }
    }
    this.#state = { kind: 'Programmed' };
  }

  /** Programmed for a ThrottlePolicy: Envoy's verdict, unless the rate-limit service's is worse. */
  programmed(envoy: ConditionValue): ConditionValue {
    if (!this.#inUse || envoy.status !== 'True' || this.#state.kind === 'Programmed') return envoy;
    return { status: this.#state.kind === 'Rejected' ? 'False' : 'Unknown', reason: this.#state.kind, message: this.#state.message };
  }
}
