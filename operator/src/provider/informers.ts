/**
 * Cluster mode's provider: informers (list, then watch: informers-watch.ts) for the six Turnpike kinds and the
 * Secrets, Services and EndpointSlices they reference, in all namespaces or a configured list.
 *
 * - Synced gate: start() resolves, and onChange is first called, only after every informer has
 *   stored its initial list, so consumers never translate a partial world.
 * - Level-triggered: every change produces a new complete, immutable ResourceSet, never a delta.
 *   Bursts are coalesced: the first change arms a short timer and the set is built when it
 *   fires, from the caches as they are then, so the last change is always included.
 * - Outages: each informer reconnects with capped, jittered backoff while the caches (and the
 *   last set) keep being served.
 * - Secrets: server-side filtered (see IGNORED_SECRET_TYPES, or a label selector), and never
 *   logged: only kinds, names and counts reach the log.
 */
import type { KubeClient } from '../kube/client';
import type { Logger } from '../log';
import type { Kind, KubeObject, ResourceSet } from '../resources/resourceset';
import type { Provider } from './provider';
import { backoffPolicy, type BackoffOptions } from '../kube/backoff';
import type { Selectors } from './informers-list';
import { DEFAULT_SECRET_FIELD_SELECTOR, DESCRIPTORS, buildResourceSet, patchResourceSet } from './informers-set';
import { SupervisedInformer } from './informers-watch';


export interface InformersProviderOptions {
  readonly kube: KubeClient;
  readonly log: Logger;
  /** Watch only these namespaces (one informer per kind and namespace); default: all. */
  readonly namespaces?: readonly string[];
  /**
   * Which Secrets to cache. Default: every type but those Turnpike never reads
   * (DEFAULT_SECRET_FIELD_SELECTOR). A label selector narrows it further, for clusters that
   * label the Secrets Turnpike may read.
   */
  readonly secrets?: Selectors;
  /**
   * Coalescing window for bursts of changes (default 5 ms: a pass costs milliseconds, and changes
   * arriving during one are coalesced into the next anyway).
   */
  readonly debounceMs?: number;
  /** Reconnect backoff (default 0.5 s doubling to 30 s, 30 % jitter). */
  readonly backoff?: BackoffOptions;
  /** Timeout of each list page request (default 60 s). */
  readonly listTimeoutMs?: number;
  /** Called with the kind each time an informer restarts its list/watch after an error (metrics). */
  readonly onRestart?: (kind: string) => void;
}

export interface InformersProvider extends Provider {
  /** The last set delivered to onChange, if any. */
  current(): ResourceSet | undefined;
  /** True once every informer has completed its initial list. */
  isSynced(): boolean;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

class Informers implements InformersProvider {
  private readonly informers: SupervisedInformer[] = [];
  private readonly debounceMs: number;
  private readonly log: Logger;
  private onChange: ((set: ResourceSet) => void) | undefined;
  private waiter: Waiter | undefined;
  private timer: NodeJS.Timeout | undefined;
  private last: ResourceSet | undefined;
  private synced = false;
  private stopped = false;

  constructor(options: InformersProviderOptions) {
    this.log = options.log.child({ component: 'informers' });
    this.debounceMs = options.debounceMs ?? 5;
    const backoff = backoffPolicy(options.backoff);
    const namespaces = options.namespaces === undefined || options.namespaces.length === 0 ? [undefined] : [...new Set(options.namespaces)];
    const secretSelectors: Selectors = { fieldSelector: DEFAULT_SECRET_FIELD_SELECTOR, ...options.secrets };
    for (const descriptor of DESCRIPTORS) {
      for (const namespace of namespaces) {
        this.informers.push(new SupervisedInformer({
          kube: options.kube,
          descriptor,
          ...(namespace === undefined ? {} : { namespace }),
          selectors: descriptor.kind === 'Secret' ? secretSelectors : {},
          log: this.log,
          backoff,
          listTimeoutMs: options.listTimeoutMs ?? 60_000,
          onChange: () => { this.changed(); },
          onSynced: () => { this.informerSynced(); },
          onRestart: () => { options.onRestart?.(descriptor.kind); },
        }));
      }
    }
  }

  start(onChange: (set: ResourceSet) => void): Promise<void> {
    if (this.onChange !== undefined) return Promise.reject(new Error('informers provider already started'));
    this.onChange = onChange;
    this.log.info('starting informers', { informers: this.informers.length });
    return new Promise<void>((resolve, reject) => {
      this.waiter = { resolve, reject };
      for (const informer of this.informers) informer.start();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all(this.informers.map((informer) => informer.stop()));
    this.waiter?.reject(new Error('informers provider stopped before its caches synced'));
    this.waiter = undefined;
  }

  current(): ResourceSet | undefined {
    return this.last;
  }

  isSynced(): boolean {
    return this.synced;
  }

  private informerSynced(): void {
    if (this.synced || this.stopped || !this.informers.every((informer) => informer.isSynced())) return;
    this.synced = true;
    this.emit();
    this.log.info('informers synced');
    this.waiter?.resolve();
    this.waiter = undefined;
  }

  private changed(): void {
    // Before the gate opens the initial lists are still arriving; the first emit covers them.
    if (!this.synced || this.stopped || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.stopped) this.emit();
    }, this.debounceMs);
  }

  private fullSet(): ResourceSet {
    for (const informer of this.informers) informer.takeChanges();
    return buildResourceSet(new Map(DESCRIPTORS.map((d) => [d.kind, this.objectsOf(d.kind)])));
  }

  private changes(): Map<Kind, Map<string, KubeObject | undefined>> {
    const byKind = new Map<Kind, Map<string, KubeObject | undefined>>();
    for (const informer of this.informers) {
      const changes = informer.takeChanges();
      if (changes.size === 0) continue;
      const kind = byKind.get(informer.kind) ?? new Map<string, KubeObject | undefined>();
      for (const [key, object] of changes) kind.set(key, object);
      byKind.set(informer.kind, kind);
    }
    return byKind;
  }

  private objectsOf(kind: Kind): KubeObject[] {
    return this.informers.filter((informer) => informer.kind === kind).flatMap((informer) => informer.objects());
  }

  private emit(): void {
    const set = this.last === undefined ? this.fullSet() : patchResourceSet(this.last, this.changes(), (kind) => this.objectsOf(kind));
    this.last = set;
    try {
      this.onChange?.(set);
    } catch (err) {
      // A consumer's fault must not stop the informers; the next change retries with a new set.
      this.log.error('onChange failed', { err });
    }
  }
}

/** Creates the provider; nothing is contacted until start(). */
export function informersProvider(options: InformersProviderOptions): InformersProvider {
  return new Informers(options);
}
