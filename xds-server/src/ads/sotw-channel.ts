// State-of-the-world protocol state for one type on one stream.
import { versionOf, type SnapshotResource } from '../snapshot';
import type { LastOutcome, RequestOutcome, SentResponse, TypeChannel } from './channel';
import type { DiscoveryRequest, DiscoveryResponse } from './messages';
import type { Held, TypeTarget } from './target';

interface Sent extends SentResponse {
  /** Hash of the response's resources: what "the same response" means. */
  readonly key: string;
  readonly resources: ReadonlyMap<string, SnapshotResource>;
}

export class SotwChannel implements TypeChannel<DiscoveryRequest, DiscoveryResponse> {
  inFlight = false;
  lastOutcome: LastOutcome = 'none';
  subscribed = false;
  wildcard = false;
  interest = 0;
  private explicitEver = false;
  private names = new Set<string>();
  private sent: Sent | undefined;
  /** version_info of the first request: the version the client had on a previous stream. */
  private resumedVersion = '';
  private holding = new Map<string, SnapshotResource>();

  /** `onResumed` hears about a reconnecting client that already has the target version (no response is sent). */
  constructor(
    readonly typeUrl: string,
    private readonly onResumed: (sent: SentResponse) => void = () => undefined,
  ) {}

  receive(request: DiscoveryRequest): RequestOutcome {
    // Nonces are per type; before our first response the client has none to send.
    if (request.response_nonce !== (this.sent?.nonce ?? '')) return { kind: 'stale', nonce: request.response_nonce };
    if (!this.subscribed) this.resumedVersion = request.version_info;
    this.subscribed = true;
    this.updateNames(request.resource_names);
    if (!this.inFlight || this.sent === undefined) return { kind: 'subscription' };
    this.inFlight = false;
    const sent = this.sent;
    if (request.error_detail !== undefined) {
      this.lastOutcome = 'nack';
      return { kind: 'nack', sent, errorMessage: request.error_detail.message };
    }
    this.lastOutcome = 'ack';
    this.holding = new Map(sent.resources);
    return { kind: 'ack', sent };
  }

  private updateNames(names: readonly string[]): void {
    const before = { wildcard: this.wildcard, names: this.names };
    // Legacy wildcard: an empty list before any explicit name means "*"; afterwards it means nothing.
    if (names.length === 0) {
      this.wildcard = !this.explicitEver;
      this.names = new Set();
    } else {
      this.explicitEver = true;
      this.wildcard = names.includes('*');
      this.names = new Set(names.filter((n) => n !== '*'));
    }
    const same = this.wildcard === before.wildcard && this.names.size === before.names.size && [...this.names].every((n) => before.names.has(n));
    if (!same) this.interest += 1;
  }

  private view(target: TypeTarget): Map<string, SnapshotResource> {
    if (this.wildcard) return new Map(target.resources);
    const view = new Map<string, SnapshotResource>();
    for (const name of [...this.names].sort()) {
      const resource = target.resources.get(name);
      if (resource !== undefined) view.set(name, resource);
    }
    return view;
  }

  respond(target: TypeTarget, nonce: string): DiscoveryResponse | undefined {
    if (!this.subscribed) return undefined;
    const view = this.view(target);
    // Only a change of the resources a response would carry warrants one (xDS protocol, "When to
    // send an update"); this is also what keeps a NACKed version from being resent.
    const key = versionOf([...view.values()].map((r) => [r.name, r.hash] as const));
    if (this.sent?.key === key) return undefined;
    if (this.sent === undefined && !this.wildcard && view.size === 0) return undefined;
    if (this.sent === undefined && this.resumes(target)) {
      this.sent = { key, nonce: '', version: target.version, snapshotVersion: target.snapshotVersion, resourceNames: [...view.keys()], removedNames: [], resources: view };
      this.holding = view;
      this.lastOutcome = 'ack';
      this.onResumed(this.sent);
      return undefined;
    }
    this.sent = { key, nonce, version: target.version, snapshotVersion: target.snapshotVersion, resourceNames: [...view.keys()], removedNames: [], resources: view };
    this.inFlight = true;
    for (const [name, resource] of view) this.holding.set(name, resource);
    return { version_info: target.version, resources: [...view.values()].map((r) => r.any), type_url: this.typeUrl, nonce };
  }

  /**
   * A client reconnecting with the version it already has needs no response: safe for a pure
   * wildcard subscription only, where the version fixes the whole content (xDS protocol, "ACK/NACK
   * and resource type instance version").
   */
  private resumes(target: TypeTarget): boolean {
    return this.wildcard && this.names.size === 0 && this.resumedVersion !== '' && this.resumedVersion === target.version;
  }

  get lastSent(): SentResponse | undefined {
    return this.sent;
  }

  wants(name: string): boolean {
    return this.wildcard || this.names.has(name);
  }

  held(): Held {
    return { resources: this.holding, names: new Set(this.holding.keys()) };
  }
}
