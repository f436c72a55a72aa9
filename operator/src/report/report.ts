/**
 * What `turnpike status` shows, as the health server's `GET /status` serves it: this replica's view
 * of each fleet (the clients connected to it and what they ACKed) and every object's conditions.
 */
import type { NodeAckState, SnapshotCache } from '@turnpike/xds-server';
import { typeLabel } from '../metrics/labels';
import { STATUSLESS_KINDS, type ObjectStatus } from '../pipeline';

export interface NodeReport {
  readonly nodeId: string;
  readonly streams: number;
  /** The last snapshot the client ACKed all of (null: none yet). */
  readonly syncedVersion: string | null;
  /** Types whose latest response the client refused, with its message. */
  readonly nacks: readonly { readonly type: string; readonly message: string }[];
}

export interface FleetReport {
  readonly fleet: string;
  /** The snapshot served to the fleet (null: none yet). */
  readonly snapshotVersion: string | null;
  readonly nodes: readonly NodeReport[];
}

export interface ObjectReport {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly generation: number;
  readonly conditions: readonly { readonly type: string; readonly status: string; readonly reason: string; readonly message: string }[];
}

export interface StatusReport {
  readonly fleets: readonly FleetReport[];
  readonly objects: readonly ObjectReport[];
}

export interface ReportSources {
  readonly fleets: readonly string[];
  readonly cache: SnapshotCache;
  readonly nodes: (fleet: string) => readonly NodeAckState[];
  readonly statuses: () => ReadonlyMap<string, ObjectStatus>;
}

export function statusReport(sources: ReportSources): StatusReport {
  const fleets = sources.fleets.map((fleet): FleetReport => ({
    fleet,
    snapshotVersion: sources.cache.get(fleet)?.version ?? null,
    nodes: sources.nodes(fleet).filter((n) => n.streams > 0).map((n) => ({
      nodeId: n.nodeId,
      streams: n.streams,
      syncedVersion: n.syncedSnapshotVersion ?? null,
      nacks: [...n.types].flatMap(([typeUrl, state]) => (state.nacked === undefined ? [] : [{ type: typeLabel(typeUrl), message: state.nacked.errorMessage }])),
    })),
  }));
  const objects = [...sources.statuses().values()]
    .filter((s) => !STATUSLESS_KINDS.has(s.source.kind))
    .map((s): ObjectReport => ({
      kind: s.source.kind, namespace: s.source.namespace, name: s.source.name, generation: s.generation,
      conditions: ([['Accepted', s.accepted], ['ResolvedRefs', s.resolvedRefs], ['Programmed', s.programmed]] as const)
        .map(([type, c]) => ({ type, status: c.status, reason: c.reason, message: c.message })),
    }));
  return { fleets, objects };
}
