// ACK/NACK and stream events, and a tracker of the latest state per node and type.
import type { SentResponse } from './channel';

export type Protocol = 'sotw' | 'delta';

/** One client's answer to one response: what the operator turns into `Programmed` conditions. */
export interface AckEvent {
  readonly kind: 'ack' | 'nack';
  readonly ack: boolean;
  readonly nodeId: string;
  readonly fleet: string;
  readonly typeUrl: string;
  /** version_info (SotW) / system_version_info (Delta) of the answered response. */
  readonly version: string;
  /** The snapshot the response was derived from. */
  readonly snapshotVersion: string;
  readonly nonce: string;
  /** Resources carried by the answered response. */
  readonly resourceNames: readonly string[];
  /** Delta: resources the answered response removed. */
  readonly removedResourceNames: readonly string[];
  /** NACK: the client's error_detail.message. */
  readonly errorMessage?: string;
  readonly protocol: Protocol;
  readonly streamId: string;
  /** True when no response was sent: a reconnecting SotW client already had this version. */
  readonly resumed: boolean;
  /** Delta: the answered response was one part of the type's update (SentResponse.partial). */
  readonly partial?: true;
}

export interface StreamEvent {
  readonly kind: 'connected' | 'disconnected';
  readonly nodeId: string;
  readonly fleet: string;
  readonly protocol: Protocol;
  readonly streamId: string;
}

/** A response the server sent (observability: metrics, debugging, tests). */
export interface SentEvent {
  readonly kind: 'sent';
  readonly nodeId: string;
  readonly fleet: string;
  readonly typeUrl: string;
  readonly version: string;
  readonly snapshotVersion: string;
  readonly nonce: string;
  readonly resourceNames: readonly string[];
  readonly removedResourceNames: readonly string[];
  readonly protocol: Protocol;
  readonly streamId: string;
  /** Delta: one part of the type's update (SentResponse.partial). */
  readonly partial?: true;
}

/**
 * The client holds everything of the snapshot that it subscribes to: nothing in flight, nothing
 * due, nothing NACKed, removals done. "Subscribes to" is the key: a client that has not asked for a
 * type yet (Envoy requests LDS only after its clusters are up) is synced without it, so `typeUrls`
 * says which types the statement covers. Emitted once per stream, snapshot version and type set.
 */
export interface SyncedEvent {
  readonly kind: 'synced';
  readonly nodeId: string;
  readonly fleet: string;
  readonly snapshotVersion: string;
  /** The types the stream has subscribed to, sorted. */
  readonly typeUrls: readonly string[];
  readonly protocol: Protocol;
  readonly streamId: string;
}

/** What a session reports: answers from the client, responses to it, and convergence. */
export type SessionEvent = AckEvent | SentEvent | SyncedEvent;

export type AdsEvent = SessionEvent | StreamEvent;

export function isAckEvent(event: AdsEvent): event is AckEvent {
  return event.kind === 'ack' || event.kind === 'nack';
}
export type AdsListener = (event: AdsEvent) => void;

export interface StreamIdentity {
  readonly nodeId: string;
  readonly fleet: string;
  readonly protocol: Protocol;
  readonly streamId: string;
}

export function ackEvent(stream: StreamIdentity, typeUrl: string, sent: SentResponse, nack?: { readonly errorMessage: string }): AckEvent {
  return {
    kind: nack === undefined ? 'ack' : 'nack', ack: nack === undefined, ...stream, typeUrl,
    version: sent.version, snapshotVersion: sent.snapshotVersion, nonce: sent.nonce,
    resourceNames: sent.resourceNames, removedResourceNames: sent.removedNames, resumed: sent.nonce === '', ...(sent.partial ? { partial: true } : {}),
    ...(nack === undefined ? {} : { errorMessage: nack.errorMessage }),
  };
}

export function sentEvent(stream: StreamIdentity, typeUrl: string, sent: SentResponse): SentEvent {
  return {
    kind: 'sent', ...stream, typeUrl, version: sent.version, snapshotVersion: sent.snapshotVersion, nonce: sent.nonce,
    resourceNames: sent.resourceNames, removedResourceNames: sent.removedNames, ...(sent.partial ? { partial: true } : {}),
  };
}

/** Listener set that isolates listeners from each other (a throwing listener is reported, not fatal). */
export class AdsEventHub {
  private readonly listeners = new Set<AdsListener>();

  constructor(private readonly onListenerError: (err: unknown) => void = () => undefined) {}

  on(listener: AdsListener): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  emit(event: AdsEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err: unknown) {
        this.onListenerError(err);
      }
    }
  }
}

export interface TypeAckState {
  readonly acked?: { readonly version: string; readonly snapshotVersion: string; readonly resourceNames: readonly string[] };
  readonly nacked?: { readonly version: string; readonly snapshotVersion: string; readonly errorMessage: string; readonly resourceNames: readonly string[] };
}

export interface NodeAckState {
  readonly nodeId: string;
  readonly fleet: string;
  readonly streams: number;
  /** The last snapshot version the node was synced to (see SyncedEvent), and for which types. */
  readonly syncedSnapshotVersion: string | undefined;
  readonly syncedTypeUrls: readonly string[];
  readonly types: ReadonlyMap<string, TypeAckState>;
}

interface MutableNode {
  fleet: string;
  streams: number;
  synced: string | undefined;
  syncedTypes: readonly string[];
  types: Map<string, TypeAckState>;
}

/** Latest ACK/NACK per node id and type URL (a NACK is cleared by a later ACK of that type). */
export class AckTracker {
  private readonly nodes = new Map<string, MutableNode>();

  record(event: AdsEvent): void {
    const node = this.nodes.get(event.nodeId) ?? { fleet: event.fleet, streams: 0, synced: undefined, syncedTypes: [], types: new Map<string, TypeAckState>() };
    this.nodes.set(event.nodeId, node);
    node.fleet = event.fleet;
    if (event.kind === 'sent') return;
    if (event.kind === 'synced') {
      node.synced = event.snapshotVersion;
      node.syncedTypes = event.typeUrls;
      return;
    }
    if (!isAckEvent(event)) {
      node.streams += event.kind === 'connected' ? 1 : -1;
      return;
    }
    // A part of an update acknowledges its resources, not the type's version: the last part does.
    if (event.ack && event.partial === true) return;
    const previous = node.types.get(event.typeUrl) ?? {};
    const at = { version: event.version, snapshotVersion: event.snapshotVersion, resourceNames: event.resourceNames };
    node.types.set(event.typeUrl, event.ack
      ? { acked: at }
      : { ...previous, nacked: { ...at, errorMessage: event.errorMessage ?? '' } });
  }

  node(nodeId: string): NodeAckState | undefined {
    const node = this.nodes.get(nodeId);
    return node === undefined ? undefined : { nodeId, fleet: node.fleet, streams: node.streams, syncedSnapshotVersion: node.synced, syncedTypeUrls: node.syncedTypes, types: new Map(node.types) };
  }

  /** Every node seen (optionally of one fleet), connected or not. */
  list(fleet?: string): NodeAckState[] {
    return [...this.nodes.keys()].sort()
      .map((id) => this.node(id))
      .filter((n): n is NodeAckState => n !== undefined && (fleet === undefined || n.fleet === fleet));
  }
}
