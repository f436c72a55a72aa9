// Incremental (Delta) protocol state for one type on one stream.
import type { SnapshotResource } from '../snapshot';
import type { LastOutcome, RequestOutcome, SentResponse, TypeChannel } from './channel';
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from './messages';
import type { Held, TypeTarget } from './target';

/**
 * The most resource bytes one response carries (at least one resource). A first sync of 10,000 Apis
 * is ~16 MiB of route configurations: in one response, the control plane holds it two or three
 * times over while gRPC frames and writes it, and Envoy parses it in one go.
 */
export const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

/** The first resources of `updates` that fit in `budget` bytes (at least one). */
function firstPart(updates: readonly SnapshotResource[], budget: number): SnapshotResource[] {
  let bytes = 0;
  let n = 0;
  while (n < updates.length) {
    bytes += updates[n]?.any.value.length ?? 0;
    if (n > 0 && bytes > budget) break;
    n += 1;
  }
  return updates.slice(0, n);
}

interface Prior {
  readonly version: string | undefined;
  readonly resource: SnapshotResource | undefined;
}

interface InFlight extends SentResponse {
  /** What the client had before this response, restored on NACK. */
  readonly before: ReadonlyMap<string, Prior>;
  readonly sentHashes: ReadonlyMap<string, string>;
}

export class DeltaChannel implements TypeChannel<DeltaDiscoveryRequest, DeltaDiscoveryResponse> {
  lastOutcome: LastOutcome = 'none';
  subscribed = false;
  wildcard = false;
  interest = 0;
  private readonly names = new Set<string>();
  /** name → version (content hash) the client has, as far as we know. */
  private readonly known = new Map<string, string>();
  private readonly content = new Map<string, SnapshotResource>();
  /** Subscribed names we told the client do not exist (removed_resources). */
  private readonly reportedAbsent = new Set<string>();
  /** Names the client dropped from its explicit subscription while also wildcard-subscribed. */
  private readonly mustReport = new Set<string>();
  private pending: InFlight | undefined;
  private latest: SentResponse | undefined;
  /** NACKed content (name → hash), not resent until the type's target version changes. */
  private suppressed = new Map<string, string>();
  private suppressedVersion: string | undefined;
  private sentOnce = false;
  /** Bumped on every change to what the client holds or wants, as far as this channel knows. */
  private revision = 0;
  /**
   * The target resources the client was last brought fully in step with, while `revision` is
   * unchanged since: a target patched from them owes the client only the replaced resources.
   */
  private inStep: { readonly resources: ReadonlyMap<string, SnapshotResource>; readonly revision: number } | undefined;

  constructor(readonly typeUrl: string, private readonly maxResponseBytes = MAX_RESPONSE_BYTES) {}

  get inFlight(): boolean {
    return this.pending !== undefined;
  }

  receive(request: DeltaDiscoveryRequest): RequestOutcome {
    // Subscription changes are honoured even with a stale nonce (xDS protocol, "Incremental xDS").
    this.applySubscription(request);
    const nonce = request.response_nonce;
    if (nonce === '') return { kind: 'subscription' };
    const sent = this.pending;
    if (sent === undefined || nonce !== sent.nonce) return { kind: 'stale', nonce };
    this.pending = undefined;
    // A part of this version was NACKed: later ACKs of the version do not make the type accepted.
    const rejected = this.suppressedVersion === sent.version;
    if (request.error_detail === undefined) {
      if (rejected) return { kind: 'ack', sent: { ...sent, partial: true } };
      this.lastOutcome = 'ack';
      this.suppressed = new Map();
      this.suppressedVersion = undefined;
      return { kind: 'ack', sent };
    }
    this.lastOutcome = 'nack';
    this.revision += 1;
    for (const [name, prior] of sent.before) this.restore(name, prior);
    this.suppressed = new Map([...(rejected ? this.suppressed : []), ...sent.sentHashes]);
    this.suppressedVersion = sent.version;
    return { kind: 'nack', sent, errorMessage: request.error_detail.message };
  }

  private restore(name: string, prior: Prior): void {
    if (prior.version === undefined) this.known.delete(name);
    else this.known.set(name, prior.version);
    if (prior.resource === undefined) this.content.delete(name);
    else this.content.set(name, prior.resource);
  }

  private applySubscription(request: DeltaDiscoveryRequest): void {
    const first = !this.subscribed;
    if (first || request.resource_names_subscribe.length > 0 || request.resource_names_unsubscribe.length > 0) {
      this.revision += 1;
      this.interest += 1;
    }
    this.subscribed = true;
    if (first) {
      for (const [name, version] of request.initial_resource_versions) this.known.set(name, version);
      // A reconnecting client that lists what it has is owed nothing until something differs.
      if (request.initial_resource_versions.size > 0) this.sentOnce = true;
      if (request.resource_names_subscribe.length === 0 && request.resource_names_unsubscribe.length === 0) this.wildcard = true;
    }
    for (const name of request.resource_names_subscribe) {
      if (name === '*') {
        this.wildcard = true;
        continue;
      }
      this.names.add(name);
      this.reportedAbsent.delete(name);
      // A (re-)subscription must be answered even if we believe the client has the resource.
      if (!request.initial_resource_versions.has(name)) this.known.delete(name);
    }
    for (const name of request.resource_names_unsubscribe) {
      if (name === '*') {
        this.wildcard = false;
        continue;
      }
      this.names.delete(name);
      this.reportedAbsent.delete(name);
      if (this.wildcard) {
        this.known.delete(name);
        this.mustReport.add(name);
      } else {
        this.known.delete(name);
        this.content.delete(name);
      }
    }
  }

  private updates(target: TypeTarget): SnapshotResource[] {
    if (this.suppressedVersion !== undefined && this.suppressedVersion !== target.version) {
      this.suppressed = new Map();
      this.suppressedVersion = undefined;
    }
    return [...target.resources.values()].filter((r) =>
      this.wants(r.name) && this.known.get(r.name) !== r.hash && this.suppressed.get(r.name) !== r.hash);
  }

  /**
   * What `target` owes a client in step with the resources it patches: the replaced ones the client
   * lacks, without walking every resource. Undefined when that does not apply (then a full walk).
   */
  private dueByPatch(target: TypeTarget): SnapshotResource[] | undefined {
    const step = this.inStep;
    if (step === undefined || step.revision !== this.revision) return undefined;
    if (step.resources === target.resources) return [];
    if (target.patchOf?.resources !== step.resources) return undefined;
    return target.patchOf.changed.filter((r) => this.wants(r.name) && this.known.get(r.name) !== r.hash);
  }

  /** After a response (or none) for `target`: the client is in step with it unless something is left owing. */
  private markInStep(target: TypeTarget, partial: boolean): void {
    const whole = !partial && target.keep.size === 0 && this.suppressed.size === 0 && this.suppressedVersion === undefined;
    this.inStep = whole ? { resources: target.resources, revision: this.revision } : undefined;
  }

  private removals(target: TypeTarget): string[] {
    const gone = (name: string): boolean => !target.resources.has(name) && !target.keep.has(name);
    const removed = new Set<string>();
    for (const name of this.known.keys()) if (this.wants(name) && gone(name)) removed.add(name);
    // Explicitly subscribed names that do not exist are reported once, so the client need not time out.
    for (const name of this.names) if (gone(name) && !this.reportedAbsent.has(name)) removed.add(name);
    for (const name of this.mustReport) if (gone(name)) removed.add(name);
    return [...removed].sort();
  }

  /**
   * The response moving the client toward `target`: every changed resource and every removal, or,
   * when the changes exceed maxResponseBytes, a first part of the changes (partial: the session
   * asks again once it is ACKed, and the removals come with the last part).
   */
  respond(target: TypeTarget, nonce: string): DeltaDiscoveryResponse | undefined {
    if (!this.subscribed) return undefined;
    const patched = this.dueByPatch(target);
    const due = patched ?? this.updates(target);
    const updates = firstPart(due, this.maxResponseBytes);
    const partial = updates.length < due.length;
    // A patch keeps every name, and the client was in step with the names before it: nothing to remove.
    const removed = partial || patched !== undefined ? [] : this.removals(target);
    // A wildcard subscriber gets one (possibly empty) response so its initial fetch completes.
    if (updates.length === 0 && removed.length === 0 && (this.sentOnce || !this.wildcard)) {
      this.markInStep(target, partial);
      return undefined;
    }
    const before = new Map<string, Prior>();
    const remember = (name: string): void => { before.set(name, { version: this.known.get(name), resource: this.content.get(name) }); };
    for (const r of updates) {
      remember(r.name);
      this.known.set(r.name, r.hash);
      this.content.set(r.name, r);
    }
    for (const name of removed) {
      remember(name);
      this.known.delete(name);
      this.content.delete(name);
      if (this.names.has(name)) this.reportedAbsent.add(name);
    }
    if (!partial) this.mustReport.clear();
    this.sentOnce = true;
    this.revision += 1;
    this.markInStep(target, partial);
    this.pending = {
      nonce, version: target.version, snapshotVersion: target.snapshotVersion,
      resourceNames: updates.map((r) => r.name), removedNames: removed, before,
      sentHashes: new Map(updates.map((r) => [r.name, r.hash])), ...(partial ? { partial: true } : {}),
    };
    this.latest = this.pending;
    return {
      system_version_info: target.version, type_url: this.typeUrl, nonce, removed_resources: removed,
      resources: updates.map((r) => ({ name: r.name, version: r.hash, resource: r.any })),
    };
  }

  get lastSent(): SentResponse | undefined {
    return this.latest;
  }

  wants(name: string): boolean {
    return this.wildcard || this.names.has(name);
  }

  held(): Held {
    return { resources: this.content, names: this.known };
  }
}
