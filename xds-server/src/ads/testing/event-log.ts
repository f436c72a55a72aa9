// Records an AdsServer's events so tests can wait for, and assert on, what clients answered.
import type { AckEvent, AdsEvent, SentEvent } from '../events';
import type { AdsServer } from '../server';
import { waitFor } from './wait';

export class EventLog {
  readonly events: AdsEvent[] = [];
  private readonly stop: () => void;

  constructor(server: AdsServer) {
    this.stop = server.onEvent((event) => this.events.push(event));
  }

  close(): void {
    this.stop();
  }

  /** A mark to look at events after this point only. */
  mark(): number {
    return this.events.length;
  }

  acks(since = 0): AckEvent[] {
    return this.events.slice(since).filter((e): e is AckEvent => e.kind === 'ack' || e.kind === 'nack');
  }

  sent(since = 0): SentEvent[] {
    return this.events.slice(since).filter((e): e is SentEvent => e.kind === 'sent');
  }

  /** The events since `since`, one short line each (for failure messages). */
  describe(since = 0): string {
    return this.events.slice(since).map((e) => (!('typeUrl' in e)
      ? `${e.kind} ${e.streamId}`
      : `${e.kind} ${e.typeUrl.split('.').pop() ?? ''} +${e.resourceNames.join(',')} -${e.removedResourceNames.join(',')} @${e.snapshotVersion}${e.kind === 'nack' ? ` ${e.errorMessage ?? ''}` : ''}`)).join('; ');
  }

  /** Waits for an ACK/NACK event after `since` matching `match`. */
  async waitForAck(what: string, match: (e: AckEvent) => boolean, since = 0, timeoutMs = 20_000): Promise<AckEvent> {
    return waitFor(() => this.acks(since).find(match), { what, timeoutMs });
  }

  /** Waits until `node` has ACKed every listed type at the given snapshot version (after `since`). */
  async waitForSnapshotAcked(nodeId: string, snapshotVersion: string, typeUrls: readonly string[], since = 0): Promise<void> {
    await waitFor(() => typeUrls.every((t) => this.acks(since).some((e) =>
      e.ack && e.nodeId === nodeId && e.typeUrl === t && e.snapshotVersion === snapshotVersion)), {
      what: `${nodeId} to ACK ${typeUrls.length} types at snapshot ${snapshotVersion}`,
    }).catch((err: unknown) => { throw new Error(`${String(err)} (events: ${this.describe(since)})`); });
  }

  /** Waits until `node` reports being synced to the snapshot version for (at least) `typeUrls` (after `since`). */
  async waitForSynced(nodeId: string, snapshotVersion: string, typeUrls: readonly string[], since = 0): Promise<void> {
    await waitFor(() => this.events.slice(since).some((e) => e.kind === 'synced' && e.nodeId === nodeId &&
      e.snapshotVersion === snapshotVersion && typeUrls.every((t) => e.typeUrls.includes(t))), {
      what: `${nodeId} to sync to snapshot ${snapshotVersion}`,
    }).catch((err: unknown) => { throw new Error(`${String(err)} (events: ${this.describe(since)})`); });
  }
}
