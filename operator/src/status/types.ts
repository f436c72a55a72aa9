/** The status writer's public shapes. */
import type { KubeClient } from '../kube/client';
import type { Logger } from '../log';
import type { BackoffOptions } from '../kube/backoff';
import type { TurnpikeKind } from '../resources/resourceset';
import type { DesiredStatus } from './conditions';

/** Which object a desired status is for. `uid`, when given, guards against a recreated namesake. */
export interface StatusRef {
  readonly kind: TurnpikeKind;
  readonly namespace: string;
  readonly name: string;
  readonly generation?: number;
  readonly uid?: string;
}

export interface StatusUpdate {
  readonly ref: StatusRef;
  readonly status: DesiredStatus;
}

export interface StatusWriterOptions {
  readonly kube: KubeClient;
  readonly log: Logger;
  /** Sustained API requests per second (default 20) and burst (default 40). */
  readonly qps?: number;
  readonly burst?: number;
  /** Concurrent requests (default 4). */
  readonly workers?: number;
  readonly requestTimeoutMs?: number;
  /** Retry of transient failures and conflicts (default 250 ms doubling to 60 s). */
  readonly retry?: BackoffOptions;
  readonly fieldManager?: string;
  /** Told the outcome and duration in seconds of every status patch (metrics). */
  readonly onWrite?: (result: 'written' | 'failed', seconds: number) => void;
}

export interface StatusWriterStats {
  readonly gets: number;
  readonly patches: number;
  /** Keys examined and found already up to date. */
  readonly unchanged: number;
  readonly conflicts: number;
  /** Keys dropped because their object no longer exists (or was recreated). */
  readonly gone: number;
  readonly failures: number;
}
