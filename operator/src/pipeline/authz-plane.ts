/**
 * The authz "plane": the authz fleet's snapshot (Apps and SignatureKeys as turnpike.authz.v1
 * resources, xds-server's translateAuthz) and the Programmed condition of Apps and SignatureKeys,
 * which is about authz instances ACKing that snapshot, not about Envoy.
 */
import { authzFleet, translateAuthz, type AuthzIR, type NodeAckState, type SnapshotCache } from '@turnpike/xds-server';
import type { Logger } from '../log';
import type { ConditionValue, DesiredStatus } from '../translate';
import { carries, type Carried } from './programmed';

/** Kinds whose data plane is authz. */
export const AUTHZ_KINDS: ReadonlySet<string> = new Set(['App', 'SignatureKey']);

const SERVED: ConditionValue = Object.freeze({ status: 'True', reason: 'Programmed', message: 'Every authz instance serves this object.' });

type PlaneState = { readonly kind: 'Programmed' } | { readonly kind: 'Pending' | 'Rejected'; readonly message: string };

export class AuthzPlane {
  readonly fleet: string;
  #served: { version: string; carried: Carried } | undefined;
  #lastGood: Carried = new Map();
  #state: PlaneState = { kind: 'Pending', message: 'No authz configuration served yet.' };
  /** The condition of objects not served yet, for the current state (one object, not one per object). */
  #waiting: { readonly state: PlaneState; readonly value: ConditionValue } | undefined;

  constructor(
    private readonly cache: SnapshotCache,
    envoyFleet: string,
    private readonly nodes: () => readonly NodeAckState[],
    private readonly log: Logger,
  ) {
    this.fleet = authzFleet(envoyFleet);
  }

  /** Serves the authz part of a translation (secrets travel only in this fleet's snapshot). */
  update(authz: AuthzIR | undefined, statuses: ReadonlyMap<string, DesiredStatus>): void {
    const result = this.cache.set(this.fleet, translateAuthz(authz));
    if (result.status === 'rejected') {
      const problems = result.problems.map((p) => p.message).join('; ');
      this.log.error('authz snapshot failed validation; authz keeps the last good one', { problems });
      this.#state = { kind: 'Rejected', message: `The control plane refused the authz configuration: ${problems}` };
      return;
    }
    if (result.status === 'updated') this.log.info('serving authz snapshot', { version: result.snapshot.version, fleet: this.fleet });
    this.#served = { version: result.snapshot.version, carried: statuses };
  }

  /** What Programmed of this plane's objects depends on, compared by identity between ADS events. */
  stamp(): readonly unknown[] {
    return [this.#state.kind, 'message' in this.#state ? this.#state.message : '', this.#lastGood];
  }

  /** Re-derives the plane's state from the latest ACKs (call on every ADS event). */
  refresh(): void {
    const snapshot = this.cache.get(this.fleet);
    if (snapshot === undefined || this.#served?.version !== snapshot.version) return;
    const connected = this.nodes().filter((n) => n.streams > 0);
    if (connected.length === 0) {
      this.#state = { kind: 'Pending', message: `No authz instance of fleet ${this.fleet} is connected yet.` };
      return;
    }
    for (const node of connected) {
      for (const [typeUrl, type] of snapshot.types) {
        const state = node.types.get(typeUrl);
        if (state?.nacked?.version === type.version && state.acked?.version !== type.version) {
          this.#state = { kind: 'Rejected', message: `authz ${node.nodeId} rejected the configuration: ${state.nacked.errorMessage}` };
          return;
        }
        if (state?.acked?.version !== type.version) {
          this.#state = { kind: 'Pending', message: `Waiting for ${connected.length} authz instance(s) to acknowledge the configuration.` };
          return;
        }
      }
    }
    this.#state = { kind: 'Programmed' };
    this.#lastGood = this.#served.carried;
  }

  /** Programmed for an App or SignatureKey that the authz snapshot carries. */
  programmed(key: string, status: DesiredStatus): ConditionValue {
    if (this.#state.kind === 'Programmed' || carries(this.#lastGood, key, status.generation)) return SERVED;
    const state = this.#state;
    if (this.#waiting?.state !== state) this.#waiting = { state, value: { status: state.kind === 'Rejected' ? 'False' : 'Unknown', reason: state.kind, message: state.message } };
    return this.#waiting.value;
  }
}
