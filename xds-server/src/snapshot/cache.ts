// Per-fleet snapshot cache with a validation gate: a rejected snapshot is never served and the last
// good one stays. Watchers hear about every served change (never about unchanged or rejected sets).
import { defaultRegistry, type ProtoRegistry } from '../proto';
import { buildSnapshot, type SnapshotProblem } from './build';
import { ResourceEncoder } from './encoder';
import type { ResourceInput, Snapshot } from './types';

export type SetResult =
  /** A new version is served. */
  | { readonly status: 'updated'; readonly snapshot: Snapshot; readonly previous: Snapshot | undefined }
  /** Same content as what is served: nothing is pushed. */
  | { readonly status: 'unchanged'; readonly snapshot: Snapshot }
  /** Validation failed: `served` (the last good snapshot, if any) stays. */
  | { readonly status: 'rejected'; readonly problems: readonly SnapshotProblem[]; readonly served: Snapshot | undefined };

export type SnapshotWatcher = (snapshot: Snapshot) => void;

export interface SnapshotCacheOptions {
  readonly registry?: ProtoRegistry;
  /** Names that exist outside ADS (bootstrap static clusters/secrets), per type URL. */
  readonly externalResources?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Called when a watcher throws (watchers must not break the cache); defaults to rethrowing asynchronously. */
  readonly onWatcherError?: (err: unknown, fleet: string) => void;
}

export class SnapshotCache {
  private readonly snapshots = new Map<string, Snapshot>();
  private readonly watchers = new Map<string, Set<SnapshotWatcher>>();
  private readonly registry: ProtoRegistry;
  // Shared by every fleet of this cache (entries are keyed by object, type and name), and dropped
  // with the cache: not a module global.
  private readonly encoder: ResourceEncoder;

  constructor(private readonly options: SnapshotCacheOptions = {}) {
    this.registry = options.registry ?? defaultRegistry();
    this.encoder = new ResourceEncoder(this.registry);
  }

  /**
   * Validates and, if valid and changed, serves `resources` as the fleet's snapshot. A resource
   * object seen before (same object, type and name) is not encoded again: pass a new object for a
   * changed resource, never a mutated one.
   */
  set(fleet: string, resources: ResourceInput): SetResult {
    const previous = this.snapshots.get(fleet);
    const built = buildSnapshot(fleet, resources, {
      registry: this.registry,
      encoder: this.encoder,
      ...(previous === undefined ? {} : { previous }),
      ...(this.options.externalResources === undefined ? {} : { externalResources: this.options.externalResources }),
    });
    if (!built.ok) return { status: 'rejected', problems: built.problems, served: previous };
    if (previous?.version === built.snapshot.version) return { status: 'unchanged', snapshot: previous };
    this.snapshots.set(fleet, built.snapshot);
    this.notify(fleet, built.snapshot);
    return { status: 'updated', snapshot: built.snapshot, previous };
  }

  /** The snapshot served to a fleet, if any. */
  get(fleet: string): Snapshot | undefined {
    return this.snapshots.get(fleet);
  }

  fleets(): string[] {
    return [...this.snapshots.keys()].sort();
  }

  /** Calls `watcher` on every future served change for `fleet`; returns the unsubscribe function. */
  watch(fleet: string, watcher: SnapshotWatcher): () => void {
    let set = this.watchers.get(fleet);
    if (set === undefined) {
      set = new Set();
      this.watchers.set(fleet, set);
    }
    set.add(watcher);
    return () => {
      const current = this.watchers.get(fleet);
      current?.delete(watcher);
      if (current?.size === 0) this.watchers.delete(fleet);
    };
  }

  private notify(fleet: string, snapshot: Snapshot): void {
    for (const watcher of [...(this.watchers.get(fleet) ?? [])]) {
      try {
        watcher(snapshot);
      } catch (err: unknown) {
        if (this.options.onWatcherError === undefined) queueMicrotask(() => { throw err; });
        else this.options.onWatcherError(err, fleet);
      }
    }
  }
}
