/**
 * One supervised informer: a client-node ListWatch (list, then watch from the list's
 * resourceVersion, relisting on 410 Gone) plus what ListWatch lacks — a synced flag, and
 * restarts with capped, jittered exponential backoff after errors (ListWatch stops for good on
 * any error other than 410). The cache keeps its objects while disconnected, so the provider
 * keeps serving the last set.
 */
import { ListWatch, Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from '../log';
import { objectKey, type Kind, type KubeObject } from '../resources/resourceset';
import { backoffDelay, type BackoffPolicy } from '../kube/backoff';
import { describeError } from '../kube/errors';
import { listFunction, type Selectors } from './informers-list';
import { collectionPath, normalise, type ResourceDescriptor } from './informers-set';

export interface SupervisedInformerOptions {
  readonly kubeConfig: KubeConfig;
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

type WatchCallback = Parameters<Watch['watch']>[2];

/**
 * A Watch whose events carry normalised objects, so the informer's cache holds one slim, frozen
 * copy of each object (not the raw one with managedFields beside a normalised one).
 */
class NormalisingWatch extends Watch {
  constructor(kubeConfig: KubeConfig, private readonly descriptor: ResourceDescriptor, private readonly remember: (object: KubeObject) => void) {
    super(kubeConfig);
  }

  override watch(path: string, queryParams: Parameters<Watch['watch']>[1], callback: WatchCallback, done: Parameters<Watch['watch']>[3]): Promise<AbortController> {
    const normalising: WatchCallback = (phase, apiObj: unknown, watchObj: unknown) => {
      const object = phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED' ? normalise(this.descriptor, apiObj) : undefined;
      if (object !== undefined) this.remember(object);
      callback(phase, object ?? apiObj, watchObj);
    };
    return super.watch(path, queryParams, normalising, done);
  }
}

export class SupervisedInformer {
  private readonly informer: ListWatch<KubernetesObject>;
  private readonly log: Logger;
  /** Normalised form of each cached object, computed once per object version. */
  private readonly normalised = new WeakMap<object, KubeObject>();
  private synced = false;
  private stopped = false;
  private failures = 0;
  private errors = 0;
  /** Changes since the last takeChanges(). */
  private changes = new Map<string, KubeObject | undefined>();
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly options: SupervisedInformerOptions) {
    const { descriptor, namespace } = options;
    this.log = options.log.child({ kind: descriptor.kind, ...(namespace === undefined ? {} : { namespace }) });
    const remember = (object: KubeObject): void => {
      this.normalised.set(object, object);
    };
    const list = listFunction(options.kubeConfig, descriptor, { ...(namespace === undefined ? {} : { namespace }), selectors: options.selectors, timeoutMs: options.listTimeoutMs }, remember);
    const listed = async (): Promise<Awaited<ReturnType<typeof list>>> => {
      const result = await list();
      // ListWatch stores the items right after this promise settles; a macrotask runs after that.
      if (!this.synced) setImmediate(() => { this.markSynced(result.items.length); });
      return result;
    };
    this.informer = new ListWatch(collectionPath(descriptor, namespace), new NormalisingWatch(options.kubeConfig, descriptor, remember), listed, false, options.selectors.labelSelector, options.selectors.fieldSelector);
    const changed = (raw: KubernetesObject, deleted: boolean): void => {
      const object = this.normalisedOf(raw);
      if (object !== undefined) this.changes.set(objectKey(object.metadata.namespace, object.metadata.name), deleted ? undefined : object);
      if (!this.stopped) options.onChange();
    };
    this.informer.on('add', (raw) => { changed(raw, false); });
    this.informer.on('update', (raw) => { changed(raw, false); });
    this.informer.on('delete', (raw) => { changed(raw, true); });
    this.informer.on('error', (err: unknown) => { this.failed(err); });
    this.informer.on('connect', () => { this.log.debug('watch connecting'); });
  }

  get kind(): Kind {
    return this.options.descriptor.kind;
  }

  start(): void {
    void this.run();
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
    const out: KubeObject[] = [];
    for (const raw of this.informer.list()) {
      const object = this.normalisedOf(raw);
      if (object !== undefined) out.push(object);
    }
    return out;
  }

  private normalisedOf(raw: object): KubeObject | undefined {
    let object = this.normalised.get(raw);
    if (object === undefined) {
      object = normalise(this.options.descriptor, raw);
      if (object !== undefined) this.normalised.set(raw, object);
    }
    return object;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.retry = undefined;
    await this.informer.stop();
  }

  /** A method, not a field read, so the check after an await is not narrowed away. */
  private isStopped(): boolean {
    return this.stopped;
  }

  private markSynced(count: number): void {
    if (this.synced || this.stopped) return;
    this.synced = true;
    this.log.debug('informer synced', { objects: count });
    this.options.onSynced();
  }

  private async run(): Promise<void> {
    if (this.isStopped()) return;
    const errorsBefore = this.errors;
    try {
      // Resolves once the list is stored and the watch request has been answered (or failed).
      await this.informer.start();
    } catch (err) {
      this.failed(err);
      return;
    }
    // No error while starting: the watch is established, so the next outage starts from scratch.
    if (this.errors === errorsBefore && !this.isStopped()) {
      if (this.failures > 0) this.log.info('watch reconnected', { afterFailures: this.failures });
      this.failures = 0;
    }
  }

  private failed(err: unknown): void {
    // Aborting the request on stop() surfaces as an error too; and one retry at a time.
    if (this.stopped || this.retry !== undefined) return;
    this.errors += 1;
    const delayMs = backoffDelay(this.failures, this.options.backoff);
    this.failures += 1;
    this.log.warn('list/watch failed; serving the cached objects and retrying', { ...describeError(err), retryInMs: delayMs, failures: this.failures });
    this.options.onRestart?.();
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.run();
    }, delayMs);
  }
}
