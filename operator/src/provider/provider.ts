// What both providers (informers.ts, files.ts) are to the operator.
import type { ResourceSet } from '../resources/resourceset';

/** A source of ResourceSets: calls `onChange` with a complete, consistent set after every change. */
export interface Provider {
  /** Resolves once the first complete set has been delivered (informers synced, files read). */
  start(onChange: (set: ResourceSet) => void): Promise<void>;
  stop(): Promise<void>;
}
