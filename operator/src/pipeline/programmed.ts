/**
 * The Programmed condition: whether the Envoy fleet runs the configuration that carries an object.
 * Derived from the served snapshot and the latest ACK/NACK of every connected node, per type.
 */
import type { NodeAckState, Snapshot } from '@turnpike/xds-server';
import { PatchedMap } from '../resources/patched-map';
import type { ConditionValue, DesiredStatus } from '../translate';

export type FleetState =
  | { readonly kind: 'Programmed' }
  | { readonly kind: 'Pending'; readonly message: string }
  | { readonly kind: 'Rejected'; readonly message: string };

type NodeVerdict = { readonly rejected: string } | { readonly waiting: boolean };

/** How a fleet's members are named in the Programmed messages. */
export interface FleetMembers {
  /** "No <one> of fleet f is connected yet." */
  readonly one: string;
  /** "Waiting for 2 <many> to acknowledge the configuration." */
  readonly many: string;
  readonly rejected: (nodeId: string, typeUrl: string, message: string) => string;
}

const ENVOYS: FleetMembers = {
  one: 'Envoy',
  many: 'Envoy(s)',
  rejected: (nodeId, typeUrl, message) => `Envoy ${nodeId} rejected ${typeUrl.split('.').pop() ?? typeUrl}: ${message}`,
};

/**
 * One node against the snapshot. A type is done when the node ACKed its current version, or when
 * the server reports the node synced to this snapshot for that type (a Delta reconnect with
 * up-to-date versions gets no response, hence no ACK). Types not asked for yet are never done.
 */
function nodeVerdict(snapshot: Snapshot, node: NodeAckState, members: FleetMembers): NodeVerdict {
  const synced = new Set(node.syncedSnapshotVersion === snapshot.version ? node.syncedTypeUrls : []);
  let waiting = false;
  for (const [typeUrl, type] of snapshot.types) {
    const state = node.types.get(typeUrl);
    const acked = state?.acked?.version === type.version;
    if (state?.nacked?.version === type.version && !acked) return { rejected: members.rejected(node.nodeId, typeUrl, state.nacked.errorMessage) };
    if (!acked && !synced.has(typeUrl)) waiting = true;
  }
  return { waiting };
}

/**
 * Where a fleet (the Envoys, or the rate-limit services) stands with `snapshot`: every connected
 * node done with every type, one NACKed, or neither yet.
 */
export function fleetState(snapshot: Snapshot, nodes: readonly NodeAckState[], members: FleetMembers = ENVOYS): FleetState {
  const connected = nodes.filter((n) => n.streams > 0);
  if (connected.length === 0) return { kind: 'Pending', message: `No ${members.one} of fleet ${snapshot.fleet} is connected yet.` };
  let waiting = false;
  for (const node of connected) {
    const verdict = nodeVerdict(snapshot, node, members);
    if ('rejected' in verdict) return { kind: 'Rejected', message: verdict.rejected };
    waiting ||= verdict.waiting;
  }
  return waiting ? { kind: 'Pending', message: `Waiting for ${connected.length} ${members.many} to acknowledge the configuration.` } : { kind: 'Programmed' };
}

/**
 * What a snapshot carries: the desired statuses it was translated from (`inIR` objects, at their
 * generation). The translation's own map, kept as it is: nothing is copied per snapshot.
 */
export type Carried = ReadonlyMap<string, DesiredStatus>;

/** Whether `carried` serves this generation of the object (for an invalid generation: the one served instead). */
export function carries(carried: Carried, key: string, generation: number): boolean {
  const status = carried.get(key);
  return status !== undefined && status.inIR && (status.servedGeneration ?? status.generation) === generation;
}

// Shared values: re-deriving 10,000 statuses on an ADS event allocates no condition, and an
// unchanged condition is the same object (ObjectStatuses compares by identity first).
const PROGRAMMED: ConditionValue = Object.freeze({ status: 'True', reason: 'Programmed', message: 'The Envoy fleet serves this object.' });
const NOT_ACCEPTED: ConditionValue = Object.freeze({ status: 'False', reason: 'NotAccepted', message: 'Not part of the configuration: see the Accepted and ResolvedRefs conditions.' });
const waiting = new WeakMap<FleetState, ConditionValue>();

/**
 * The condition of an object a fleet does not serve yet (Rejected: False, Pending: Unknown), one
 * object per fleet state; the rate-limit plane states its fleet's verdict with it too.
 */
export function notProgrammed(state: Exclude<FleetState, { kind: 'Programmed' }>): ConditionValue {
  let value = waiting.get(state);
  if (value === undefined) {
    value = state.kind === 'Rejected' ? { status: 'False', reason: 'Rejected', message: state.message } : { status: 'Unknown', reason: 'Pending', message: state.message };
    waiting.set(state, value);
  }
  return value;
}

const servingOlder = new WeakMap<DesiredStatus, ConditionValue>();

/**
 * An invalid generation while the fleet serves the last valid one: False, since this generation is
 * not programmed; the message says which generation the fleet runs, or what it waits for.
 */
function olderServed(status: DesiredStatus, served: number, programmed: boolean, state: FleetState): ConditionValue {
  const head = `Generation ${status.generation} is not accepted`;
  if (!programmed) return { status: 'False', reason: 'NotAccepted', message: `${head}; generation ${served}, the last valid, is not programmed yet: ${'message' in state ? state.message : ''}` };
  let value = servingOlder.get(status);
  if (value === undefined) {
    value = { status: 'False', reason: 'NotAccepted', message: `${head}; the Envoy fleet serves generation ${served}.` };
    servingOlder.set(status, value);
  }
  return value;
}

/**
 * Programmed for one object: True when the config the fleet runs carries this generation of it
 * (the current snapshot once ACKed, or the last ACKed one while a newer is pending or rejected).
 */
export function programmedCondition(key: string, status: DesiredStatus, state: FleetState, lastGood: Carried): ConditionValue {
  if (!status.inIR && (status.accepted.status === 'False' || status.resolvedRefs.status === 'False')) return NOT_ACCEPTED;
  if (!status.inIR) {
    return { status: 'Unknown', reason: 'Pending', message: status.notEnforced ?? `${status.source.kind} is accepted; the data plane does not enforce this kind yet.` };
  }
  const served = status.servedGeneration ?? status.generation;
  const programmed = state.kind === 'Programmed' || carries(lastGood, key, served);
  if (status.servedGeneration !== undefined) return olderServed(status, served, programmed, state);
  if (programmed) return PROGRAMMED;
  return notProgrammed(state);
}

/** What a derivation of the statuses reads besides the fleet's state. */
export interface DerivedFrom {
  readonly desired: ReadonlyMap<string, DesiredStatus>;
  readonly lastGood: Carried;
}

/**
 * The objects whose status may differ between a derivation from `before` and one from `now`,
 * whatever the fleet's state in either (programmedCondition): those whose desired status changed,
 * those whose entry in the last good configuration changed, and those the last good configuration
 * does not carry as they are now, the only ones whose Programmed follows the fleet's state (an
 * object the last good configuration carries at its generation is Programmed in every state).
 * Undefined when the maps are not patches of one another (PatchedMap): derive every object.
 */
export function maybeChanged(before: DerivedFrom, now: DerivedFrom): Set<string> | undefined {
  const parts = [
    PatchedMap.differences(before.desired, now.desired),
    PatchedMap.differences(before.lastGood, now.lastGood),
    PatchedMap.differences(now.lastGood, now.desired),
  ];
  const found = new Set<string>();
  for (const part of parts) {
    if (part === undefined) return undefined;
    for (const key of part) found.add(key);
  }
  return found;
}
