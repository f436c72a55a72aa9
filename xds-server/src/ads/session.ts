// One ADS stream: per-type channels, the snapshot being rolled out, and the ordering rules.
// Pure protocol logic (no gRPC): requests and snapshots in, responses and events out.
import type { Snapshot } from '../snapshot';
import type { SentResponse, TypeChannel } from './channel';
import { ackEvent, sentEvent, type SessionEvent, type StreamIdentity } from './events';
import { compareTypes, finalTarget, makeTarget, waitsFor, type TypeTarget } from './target';

export interface SessionOptions<Request, Response> {
  readonly stream: StreamIdentity;
  /** Creates the protocol channel for a type; `onResumed` reports a SotW reconnect without a push. */
  readonly channel: (typeUrl: string, onResumed: (sent: SentResponse) => void) => TypeChannel<Request, Response>;
  readonly emit: (event: SessionEvent) => void;
}

export class Session<Request extends { readonly type_url: string }, Response> {
  private readonly channels = new Map<string, TypeChannel<Request, Response>>();
  private snapshot: Snapshot | undefined;
  /** 'make': removals held back (make targets); 'break': the snapshot itself. */
  private phase: 'make' | 'break' = 'break';
  private makeTargets = new Map<string, TypeTarget>();
  private nonceCounter = 0;
  private syncedKey = '';
  /**
   * laggingTypes() until something it reads may have changed: a new channel, a changed
   * subscription, or a wildcard channel's content or outcome (a response, an ACK or a NACK).
   */
  private lagging: ReadonlySet<string> | undefined;

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
    const interest = channel.interest;
    const outcome = channel.receive(request);
    if (channel.wildcard || channel.interest !== interest) this.lagging = undefined;
    if (outcome.kind === 'ack') this.options.emit(ackEvent(this.options.stream, channel.typeUrl, outcome.sent));
    if (outcome.kind === 'nack') this.options.emit(ackEvent(this.options.stream, channel.typeUrl, outcome.sent, { errorMessage: outcome.errorMessage }));
    return this.pump();
  }

  private channelFor(typeUrl: string): TypeChannel<Request, Response> {
    let channel = this.channels.get(typeUrl);
    if (channel === undefined) {
      channel = this.options.channel(typeUrl, (sent) => { this.options.emit(ackEvent(this.options.stream, typeUrl, sent)); });
      this.channels.set(typeUrl, channel);
      this.lagging = undefined;
    }
    return channel;
  }

  private targetFor(snapshot: Snapshot, typeUrl: string): TypeTarget {
    return (this.phase === 'make' ? this.makeTargets.get(typeUrl) : undefined) ?? finalTarget(snapshot, typeUrl);
  }

  private reportSynced(snapshot: Snapshot): void {
    const typeUrls = [...this.channels.keys()].sort();
    const key = `${snapshot.version}|${typeUrls.join(',')}`;
    if (this.syncedKey === key || typeUrls.length === 0) return;
    this.syncedKey = key;
    this.options.emit({ kind: 'synced', ...this.options.stream, snapshotVersion: snapshot.version, typeUrls });
  }

  /**
   * Types the client has yet to subscribe to names of: resources held by a wildcard subscriber
   * (Envoy's LDS and CDS) reference EDS/RDS/SDS names Envoy will request. Until it has, the types
   * that wait for them wait too (routes never reach Envoy before the endpoints of their clusters).
   * Clients with explicit subscriptions (gRPC) follow references selectively and drive their own
   * order, so they are not waited for.
   */
  private laggingTypes(): ReadonlySet<string> {
    this.lagging ??= this.findLagging();
    return this.lagging;
  }

  private findLagging(): Set<string> {
    const lagging = new Set<string>();
    for (const channel of this.channels.values()) {
      if (!channel.wildcard || channel.lastOutcome !== 'ack') continue;
      for (const resource of channel.held().resources.values()) {
        for (const ref of resource.references) {
          if (this.channels.get(ref.typeUrl)?.wants(ref.name) !== true) lagging.add(ref.typeUrl);
        }
      }
    }
    return lagging;
  }

  private blocked(typeUrl: string, lagging: ReadonlySet<string>): boolean {
    return waitsFor(typeUrl).some((t) => lagging.has(t) || this.channels.get(t)?.inFlight === true);
  }

  /**
   * Sends what is due, in type order (CDS, EDS, SDS, LDS, RDS, then others), at most one response
   * in flight per type, and nothing to a type while a type it waits for is unsettled (waitsFor).
   * When everything has settled and nothing is NACKed, the make phase ends and removals follow.
   */
  private pump(): Response[] {
    const snapshot = this.snapshot;
    if (snapshot === undefined) return [];
    const ordered = [...this.channels.values()].sort((a, b) => compareTypes(a.typeUrl, b.typeUrl));
    const out: Response[] = [];
    for (;;) {
      const lagging = this.laggingTypes();
      for (const channel of ordered) {
        if (channel.inFlight || this.blocked(channel.typeUrl, lagging)) continue;
        const response = channel.respond(this.targetFor(snapshot, channel.typeUrl), String(++this.nonceCounter));
        if (response === undefined) continue;
        if (channel.wildcard) this.lagging = undefined;
        if (channel.lastSent !== undefined) this.options.emit(sentEvent(this.options.stream, channel.typeUrl, channel.lastSent));
        out.push(response);
      }
      const settled = out.length === 0 && lagging.size === 0 && ordered.every((c) => !c.inFlight && c.lastOutcome !== 'nack');
      if (!settled) return out;
      if (this.phase === 'break') {
        this.reportSynced(snapshot);
        return out;
      }
      this.phase = 'break';
    }
  }
}
