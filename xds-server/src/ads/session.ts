// One ADS stream: per-type channels, the snapshot being rolled out, and the ordering rules.
// Pure protocol logic (no gRPC): requests and snapshots in, responses and events out.
import type { Snapshot } from '../snapshot';
import type { SentResponse, TypeChannel } from './channel';
import { ackEvent, type AckEvent, type StreamIdentity } from './events';
import { compareTypes, finalTarget, makeTarget, type TypeTarget } from './target';

export interface SessionOptions<Request, Response> {
  readonly stream: StreamIdentity;
  /** Creates the protocol channel for a type; `onResumed` reports a SotW reconnect without a push. */
  readonly channel: (typeUrl: string, onResumed: (sent: SentResponse) => void) => TypeChannel<Request, Response>;
  readonly emit: (event: AckEvent) => void;
}

export class Session<Request extends { readonly type_url: string }, Response> {
  private readonly channels = new Map<string, TypeChannel<Request, Response>>();
  private snapshot: Snapshot | undefined;
  /** 'make': removals held back (make targets); 'break': the snapshot itself. */
  private phase: 'make' | 'break' = 'break';
  private makeTargets = new Map<string, TypeTarget>();
  private nonceCounter = 0;

  constructor(private readonly options: SessionOptions<Request, Response>, snapshot?: Snapshot) {
    this.snapshot = snapshot;
  }

  get snapshotVersion(): string | undefined {
    return this.snapshot?.version;
  }

  /** A new snapshot for the stream's fleet: returns the responses to send now, in order. */
  setSnapshot(snapshot: Snapshot): Response[] {
    if (this.snapshot?.version === snapshot.version) return [];
    this.snapshot = snapshot;
    this.phase = 'make';
    this.makeTargets = new Map([...this.channels.values()].map((c) => [c.typeUrl, makeTarget(snapshot, c.typeUrl, c.held())]));
    return this.pump();
  }

  /** A request from the client: returns the responses to send now, in order. */
  receive(request: Request): Response[] {
    const channel = this.channelFor(request.type_url);
    const outcome = channel.receive(request);
    if (outcome.kind === 'ack') this.options.emit(ackEvent(this.options.stream, channel.typeUrl, outcome.sent));
    if (outcome.kind === 'nack') this.options.emit(ackEvent(this.options.stream, channel.typeUrl, outcome.sent, { errorMessage: outcome.errorMessage }));
    return this.pump();
  }

  private channelFor(typeUrl: string): TypeChannel<Request, Response> {
    let channel = this.channels.get(typeUrl);
    if (channel === undefined) {
      channel = this.options.channel(typeUrl, (sent) => { this.options.emit(ackEvent(this.options.stream, typeUrl, sent)); });
      this.channels.set(typeUrl, channel);
    }
    return channel;
  }

  private targetFor(snapshot: Snapshot, typeUrl: string): TypeTarget {
    return (this.phase === 'make' ? this.makeTargets.get(typeUrl) : undefined) ?? finalTarget(snapshot, typeUrl);
  }

  /**
   * Types the client has yet to subscribe to names for: resources held by a wildcard subscriber
   * (Envoy's LDS and CDS) reference EDS/RDS/SDS names that Envoy will request. Until it does, later
   * types wait, so that e.g. routes never reach Envoy before the endpoints of their new clusters
   * (a cluster warms until its ClusterLoadAssignment arrives). Clients with explicit subscriptions
   * (gRPC) follow references selectively and drive their own order, so they are not waited for.
   */
  private laggingTypes(): string[] {
    const lagging = new Set<string>();
    for (const channel of this.channels.values()) {
      if (!channel.wildcard || channel.lastOutcome !== 'ack') continue;
      for (const resource of channel.held().resources.values()) {
        for (const ref of resource.references) {
          if (this.channels.get(ref.typeUrl)?.wants(ref.name) !== true) lagging.add(ref.typeUrl);
        }
      }
    }
    return [...lagging];
  }

  /**
   * Sends at most one response at a time, in type order: a type is pushed only when every type
   * before it has no response in flight and no pending subscription (CDS → EDS → SDS → LDS → RDS).
   * When everything has settled and nothing is NACKed, the make phase ends and removals follow.
   */
  private pump(): Response[] {
    const snapshot = this.snapshot;
    if (snapshot === undefined) return [];
    const ordered = [...this.channels.values()].sort((a, b) => compareTypes(a.typeUrl, b.typeUrl));
    for (;;) {
      const lagging = this.laggingTypes();
      for (const channel of ordered) {
        if (channel.inFlight) return [];
        if (lagging.some((t) => compareTypes(t, channel.typeUrl) < 0)) return [];
        const response = channel.respond(this.targetFor(snapshot, channel.typeUrl), String(++this.nonceCounter));
        if (response !== undefined) return [response];
      }
      if (this.phase === 'break' || lagging.length > 0 || ordered.some((c) => c.lastOutcome === 'nack')) return [];
      this.phase = 'break';
    }
  }
}
