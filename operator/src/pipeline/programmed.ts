/**
 * The Programmed condition: whether the Envoy fleet runs the configuration that carries an object.
 * Derived from the served snapshot and the latest ACK/NACK of every connected node, per type.
 */
import type { NodeAckState, Snapshot } from '@turnpike/xds-server';
import type { ConditionValue, DesiredStatus } from '../translate';

export type FleetState =
  | { readonly kind: 'Programmed' }
  | { readonly kind: 'Pending'; readonly message: string }
  | { readonly kind: 'Rejected'; readonly message: string };

/** Where the fleet stands with `snapshot`: every connected node ACKed every type, one NACKed, or neither yet. */
export function fleetState(snapshot: Snapshot, nodes: readonly NodeAckState[]): FleetState {
  const connected = nodes.filter((n) => n.streams > 0);
  if (connected.length === 0) return { kind: 'Pending', message: `No Envoy of fleet ${snapshot.fleet} is connected yet.` };
  let waiting = 0;
  for (const node of connected) {
    // Per type, not the server's `synced` verdict: that one counts only the types a client has
    // asked for so far, and would report an Envoy programmed before it subscribed to routes.
    // (Clients that subscribe to some resources only, like proxyless gRPC, are not a fleet here.)
    for (const [typeUrl, type] of snapshot.types) {
      const state = node.types.get(typeUrl);
      if (state?.nacked?.version === type.version && state.acked?.version !== type.version) {
        return { kind: 'Rejected', message: `Envoy ${node.nodeId} rejected ${typeUrl.split('.').pop() ?? typeUrl}: ${state.nacked.errorMessage}` };
      }
      if (state?.acked?.version !== type.version) waiting += 1;
    }
  }
  return waiting === 0 ? { kind: 'Programmed' } : { kind: 'Pending', message: `Waiting for ${connected.length} Envoy(s) to acknowledge the configuration.` };
}

/** `sourceKey` → generation of every object carried by a snapshot. */
export type Carried = ReadonlyMap<string, number>;

export function carriedBy(statuses: ReadonlyMap<string, DesiredStatus>): Carried {
  return new Map([...statuses].filter(([, s]) => s.inIR).map(([key, s]) => [key, s.generation]));
}

/**
 * Programmed for one object: True when the config the fleet runs carries this generation of it
 * (the current snapshot once ACKed, or the last ACKed one while a newer is pending or rejected).
 */
export function programmedCondition(key: string, status: DesiredStatus, state: FleetState, lastGood: Carried): ConditionValue {
  if (!status.inIR && (status.accepted.status === 'False' || status.resolvedRefs.status === 'False')) {
    return { status: 'False', reason: 'NotAccepted', message: 'Not part of the configuration: see the Accepted and ResolvedRefs conditions.' };
  }
  if (!status.inIR) {
    return { status: 'Unknown', reason: 'Pending', message: status.notEnforced ?? `${status.source.kind} is accepted; the data plane does not enforce this kind yet.` };
  }
  if (state.kind === 'Programmed' || lastGood.get(key) === status.generation) {
    return { status: 'True', reason: 'Programmed', message: 'The Envoy fleet serves this object.' };
  }
  if (state.kind === 'Rejected') return { status: 'False', reason: 'Rejected', message: state.message };
  return { status: 'Unknown', reason: 'Pending', message: state.message };
}
