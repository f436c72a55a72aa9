// The per-type protocol state a stream keeps, common to SotW and Delta.
import type { Held, TypeTarget } from './target';

/** The response a channel last sent and is waiting on (or last heard about). */
export interface SentResponse {
  readonly nonce: string;
  readonly version: string;
  readonly snapshotVersion: string;
  /** Resources carried by the response. */
  readonly resourceNames: readonly string[];
  /** Delta only: names removed by the response. */
  readonly removedNames: readonly string[];
  /**
   * Delta only: one part of the type's update, more to follow once it is ACKed (a large update is
   * sent in parts, see DeltaChannel). Its ACK acknowledges those resources, not `version`.
   */
  readonly partial?: true;
}

/** What a request meant for the protocol. */
export type RequestOutcome =
  /** ACK or NACK of `sent`. */
  | { readonly kind: 'ack'; readonly sent: SentResponse }
  | { readonly kind: 'nack'; readonly sent: SentResponse; readonly errorMessage: string }
  /** A subscription request (first request, or a change of names) that acknowledges nothing new. */
  | { readonly kind: 'subscription' }
  /** Carries a nonce older than the last response: ignored (SotW) or used for its subscription only (Delta). */
  | { readonly kind: 'stale'; readonly nonce: string };

export type LastOutcome = 'none' | 'ack' | 'nack';

export interface TypeChannel<Request, Response> {
  readonly typeUrl: string;
  /** A response was sent and neither ACKed nor NACKed yet. */
  readonly inFlight: boolean;
  /** How the client answered the latest response of this type. */
  readonly lastOutcome: LastOutcome;
  /** The client has subscribed to this type on this stream. */
  readonly subscribed: boolean;
  /** The client subscribed to "*" (or legacy wildcard): it takes whatever the server says it needs. */
  readonly wildcard: boolean;
  /** The latest response sent (in flight or answered). */
  readonly lastSent: SentResponse | undefined;
  /** The client's subscription covers `name`. */
  wants(name: string): boolean;
  /** Bumped whenever what `wants` answers may have changed. */
  readonly interest: number;
  receive(request: Request): RequestOutcome;
  /** The response needed to move the client to `target`, or undefined when none is due. */
  respond(target: TypeTarget, nonce: string): Response | undefined;
  held(): Held;
}
