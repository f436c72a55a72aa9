/**
 * One supervised informer: list, then watch from the list's resourceVersion (watching again when
 * the server ends a watch, listing again on 410 Gone), with a cache of normalised objects, a
 * synced flag, and restarts with capped, jittered exponential backoff after errors. The cache
 * keeps its objects while disconnected, so the provider keeps serving the last set.
 */
import type { Logger } from '../log';
import { objectKey, type Kind, type KubeObject } from '../resources/resourceset';
import { backoffDelay, type BackoffPolicy } from '../kube/backoff';
import { KubeApiError, type KubeClient, type WatchEvent } from '../kube/client';
import { describeError, httpStatus } from '../kube/errors';
import { isRecord } from '../json';
import { listAll, metadataString, type Selectors } from './informers-list';
import { collectionPath, normalise, type ResourceDescriptor } from './informers-set';

export interface SupervisedInformerOptions {
  readonly kube: KubeClient;
  readonly descriptor: ResourceDescriptor;
  readonly namespace?: string;
  readonly selectors: Selectors;
  readonly log: Logger;
  readonly backoff: BackoffPolicy;
  readonly listTimeoutMs: number;
  /** Any add, update or delete seen in the cache (initial list included). */
  readonly onChange: () => void;
  /** Called once, after the first list has been stored in the cache. */
  readonly onSynced: () => void;
  /** Called each time list/watch is restarted after an error (metrics). */
  readonly onRestart?: () => void;
}

/** The server ends each watch after 5 to 10 minutes, as client-go asks. */
const watchTimeoutSeconds = (): number => 300 + Math.floor(Math.random() * 300);
/** A watch the server has not ended this long after its timeout is presumed lost, and opened again. */
const WATCH_GRACE_MS = 30_000;

export class SupervisedInformer {
  private readonly log: Logger;
  private readonly path: string;
  private cache = new Map<string, KubeObject>();
  private resourceVersion = '';
  private synced = false;
  private stopped = false;
  private failures = 0;
  /** Changes since the last takeChanges(). */
  private changes = new Map<string, KubeObject | undefined>();
  private retry: NodeJS.Timeout | undefined;
  /** Aborts the current list/watch on stop(). */
  private readonly stopping = new AbortController();
  private running: Promise<void> | undefined;

  constructor(private readonly options: SupervisedInformerOptions) {
    const { descriptor, namespace } = options;
    this.log = options.log.child({ kind: descriptor.kind, ...(namespace === undefined ? {} : { namespace }) });
    this.path = collectionPath(descriptor, namespace);
  }

  get kind(): Kind {
    return this.options.descriptor.kind;
  }

  start(): void {
    this.running = this.run();
  }

  isSynced(): boolean {
    return this.synced;
  }

  /** What changed in the cache since the last call, by key: the object, or undefined once deleted. */
  takeChanges(): ReadonlyMap<string, KubeObject | undefined> {
    const changes = this.changes;
    this.changes = new Map();
    return changes;
  }

  /** The cached objects, normalised (apiVersion/kind set, frozen). */
  objects(): KubeObject[] {
    return [...this.cache.values()];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.retry = undefined;
    this.stopping.abort();
    await this.running;
  }

  /** A method, not a field read, so the check after an await is not narrowed away. */
  private isStopped(): boolean {
    return this.stopped;
  }

  private async run(): Promise<void> {
    try {
      await this.relist();
      if (!this.synced && !this.isStopped()) {
        this.synced = true;
        this.log.debug('informer synced', { objects: this.cache.size });
        this.options.onSynced();
      }
      await this.watch();
    } catch (err) {
      this.failed(err);
    }
  }

  /** Lists the collection and turns the difference with the cache into changes. */
  private async relist(): Promise<void> {
    const { descriptor, namespace, selectors, listTimeoutMs } = this.options;
    const listed = await listAll(this.options.kube, descriptor, { ...(namespace === undefined ? {} : { namespace }), selectors, timeoutMs: listTimeoutMs });
    if (this.isStopped()) return;
    const next = new Map<string, KubeObject>();
    for (const object of listed.objects) {
      const key = objectKey(object.metadata.namespace, object.metadata.name);
      const cached = this.cache.get(key);
      // An unchanged object keeps its identity, so memos keyed on it still hit.
      if (cached !== undefined && cached.metadata.resourceVersion === object.metadata.resourceVersion) {
        next.set(key, cached);
      } else {
        next.set(key, object);
        this.changes.set(key, object);
      }
    }
    for (const key of this.cache.keys()) if (!next.has(key)) this.changes.set(key, undefined);
    this.cache = next;
    this.resourceVersion = listed.resourceVersion;
    if (this.changes.size > 0) this.options.onChange();
  }

  /** Watches until an error or stop(): again from the last resourceVersion when the server ends a watch, after a new list on 410 Gone. */
  private async watch(): Promise<void> {
    while (!this.isStopped()) {
      const aborting = new AbortController();
      const stop = (): void => { aborting.abort(); };
      this.stopping.signal.addEventListener('abort', stop, { once: true });
      let refused: KubeApiError | undefined;
      const onEvent = (event: WatchEvent): void => {
        if (refused !== undefined) return;
        refused = this.apply(event);
        if (refused !== undefined) aborting.abort();
      };
      const timeoutSeconds = watchTimeoutSeconds();
      let lost = false;
      const deadline = setTimeout(() => { lost = true; aborting.abort(); }, timeoutSeconds * 1000 + WATCH_GRACE_MS);
      try {
        const query = { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds, ...this.options.selectors };
        const watching = await this.options.kube.watch(this.path, query, onEvent, aborting.signal);
        this.connected();
        await watching.ended.catch((err: unknown) => { if (refused === undefined && !lost) throw err; });
        if (refused !== undefined) throw refused;
      } catch (err) {
        if (this.isStopped()) return;
        if (httpStatus(err) !== 410) throw err;
        this.log.debug('watch expired (410 Gone); listing again');
        await this.relist();
      } finally {
        clearTimeout(deadline);
        this.stopping.signal.removeEventListener('abort', stop);
      }
    }
  }

  /** Applies one watch event to the cache; an ERROR event is returned as the error it reports. */
  private apply(event: WatchEvent): KubeApiError | undefined {
    if (event.type === 'ERROR') {
      const code = isRecord(event.object) && typeof event.object.code === 'number' ? event.object.code : 500;
      return new KubeApiError(code, event.object, 'WATCH', this.path);
    }
    const version = metadataString(event.object, 'resourceVersion');
    if (version !== undefined) this.resourceVersion = version;
    if (event.type !== 'ADDED' && event.type !== 'MODIFIED' && event.type !== 'DELETED') return undefined;
    const object = normalise(this.options.descriptor, event.object);
    if (object === undefined) return undefined;
    const key = objectKey(object.metadata.namespace, object.metadata.name);
    if (event.type === 'DELETED') this.cache.delete(key);
    else this.cache.set(key, object);
    this.changes.set(key, event.type === 'DELETED' ? undefined : object);
    if (!this.stopped) this.options.onChange();
    return undefined;
  }

  private connected(): void {
    this.log.debug('watch connected');
    if (this.failures > 0) this.log.info('watch reconnected', { afterFailures: this.failures });
    this.failures = 0;
  }

  private failed(err: unknown): void {
    // Aborting the request on stop() surfaces as an error too; and one retry at a time.
    if (this.stopped || this.retry !== undefined) return;
    const delayMs = backoffDelay(this.failures, this.options.backoff);
    this.failures += 1;
    this.log.warn('list/watch failed; serving the cached objects and retrying', { ...describeError(err), retryInMs: delayMs, failures: this.failures });
    this.options.onRestart?.();
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.running = this.run();
    }, delayMs);
  }
}
