/**
 * The reconcile loop, level-triggered: every ResourceSet is translated (incrementally: the
 * Translator recomputes only what changed, and unchanged IR pieces keep their identity), handed to
 * the snapshot cache (which never serves an invalid snapshot), and ADS events re-derive
 * Programmed. Listeners receive complete statuses, never deltas; an ObjectStatus that did not
 * change is the same object as before, and listeners are not called when no status changed.
 */
import { translateIR, TranslateError, type NodeAckState, type SnapshotCache } from '@turnpike/xds-server';
import type { GatewayConfig } from '../config';
import type { Logger } from '../log';
import type { ResourceSet } from '../resources/resourceset';
import { Translator, type ConditionValue, type DesiredStatus, type Translation, type ValidateFn } from '../translate';
import { ObjectStatuses } from './statuses';
import { RATE_LIMIT_KINDS, RateLimitPlane } from './ratelimit-plane';
import { fleetState, maybeChanged, programmedCondition, type Carried, type DerivedFrom, type FleetState } from './programmed';

export type { ObjectStatus } from './statuses';
import type { ObjectStatus } from './statuses';

export type StatusListener = (statuses: ReadonlyMap<string, ObjectStatus>) => void;

export interface PipelineOptions {
  readonly gateway: GatewayConfig;
  readonly validate: ValidateFn;
  readonly cache: SnapshotCache;
  /** The latest ACK/NACK state of the fleet's nodes (AdsServer.tracker). */
  readonly nodes: () => readonly NodeAckState[];
  /**
   * Envoys of the fleet connected to the whole control plane, given those connected to this
   * replica (default: those; the operator adds its peers', leader/census.ts).
   */
  readonly envoys?: (local: number) => number;
  /** The latest ACK/NACK state of the rate-limit fleet's instances (ThrottlePolicies' Programmed). */
  readonly rateLimitNodes?: () => readonly NodeAckState[];
  readonly log: Logger;
  /**
   * Runs a requested re-derivation of Programmed; default: at once. The operator defers it past
   * the current task, so a push reaches the socket before the statuses are computed.
   */
  readonly schedule?: (refresh: () => void) => void;
  /** Told how long each pass that produced a new translation took, in seconds (metrics). */
  readonly onPass?: (seconds: number) => void;
}

/** Stamps (what a derivation read) are equal when every part is the very same value. */
const sameParts = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((part, i) => part === b[i]);

export class Pipeline {
  #refreshPending = false;
  #desired: ReadonlyMap<string, DesiredStatus> = new Map();
  readonly #translator: Translator;
  #translation: Translation | undefined;
  readonly #statuses = new ObjectStatuses();
  /** What the last statuses were derived from: nothing changed while it is the same. */
  #stamp: readonly unknown[] = [];
  /** What the snapshot now served carries, and what the last fully ACKed one carried. */
  #served: { version: string; carried: Carried } | undefined;
  #lastGood: Carried = new Map();
  #state: FleetState = { kind: 'Pending', message: 'No configuration served yet.' };
  readonly #listeners = new Set<StatusListener>();
  readonly #rateLimit: RateLimitPlane;
  /** What the last statuses were derived from: the next derivation looks only at what changed since (maybeChanged). */
  #derivedFrom: (DerivedFrom & { readonly rateLimit: readonly unknown[] }) | undefined;
  /** Envoys of the fleet connected to the control plane (at least 1): Fast limits are split among them. */
  #envoys = 1;

  constructor(private readonly options: PipelineOptions) {
    this.#rateLimit = new RateLimitPlane(options.cache, options.gateway.fleet, options.rateLimitNodes ?? (() => []), options.log);
    this.#translator = new Translator(options.gateway, options.validate);
  }

  onStatuses(listener: StatusListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Translates and serves a complete ResourceSet. Faults are logged; the last good config stays. */
  update(set: ResourceSet): void {
    const started = performance.now();
    const translation = this.#translator.translate(set);
    this.options.log.debug('translated', { ms: Math.round(performance.now() - started), steps: this.#translator.computedSteps });
    // The same translation object: nothing to serve or to re-derive.
    if (translation === this.#translation) return;
    this.#translation = translation;
    this.#desired = translation.statuses;
    // Limits reach the rate-limit service before Envoy sends descriptors that need them.
    this.#rateLimit.update(translation.ir);
    this.#serve(translation);
    this.options.onPass?.((performance.now() - started) / 1000);
    this.requestRefresh();
  }

  /** Hands the fleet a translation, each Envoy's Fast limits shared among the Envoys connected now. */
  #serve(translation: Translation): void {
    const { gateway, cache, log } = this.options;
    try {
      const started = performance.now();
      const resources = translateIR(translation.ir, { envoys: this.#envoys });
      const translated = performance.now();
      const result = cache.set(gateway.fleet, resources);
      const timing = { translateMs: Math.round(translated - started), snapshotMs: Math.round(performance.now() - translated) };
      if (result.status === 'rejected') {
        const problems = result.problems.map((p) => p.message).join('; ');
        log.error('snapshot failed validation; Envoy keeps the last good one', { problems });
        this.#state = { kind: 'Rejected', message: `The control plane refused the configuration: ${problems}` };
      } else {
        if (result.status === 'updated') log.info('serving snapshot', { version: result.snapshot.version, fleet: gateway.fleet, envoys: this.#envoys, ...timing });
        this.#served = { version: result.snapshot.version, carried: translation.statuses };
      }
    } catch (err) {
      if (!(err instanceof TranslateError)) throw err;
      log.error('translation fault; Envoy keeps the last good configuration', { err, code: err.code });
      this.#state = { kind: 'Rejected', message: `Internal translation fault ${err.code}: ${err.message}` };
    }
  }

  /** A new Envoy count (one connected or gone): the Fast limits' shares change, nothing else. */
  #followEnvoys(): void {
    const local = this.options.nodes().filter((n) => n.streams > 0).length;
    const envoys = Math.max(1, this.options.envoys?.(local) ?? local);
    if (envoys === this.#envoys) return;
    this.#envoys = envoys;
    if (this.#translation !== undefined) this.#serve(this.#translation);
  }

  /** Asks for refresh() through the scheduler; requests made before it runs share one refresh. */
  requestRefresh(): void {
    const { schedule } = this.options;
    if (schedule === undefined) {
      this.refresh();
      return;
    }
    if (this.#refreshPending) return;
    this.#refreshPending = true;
    schedule(() => {
      this.#refreshPending = false;
      this.refresh();
    });
  }

  /** Re-derives Programmed from the latest ADS state (call on every ADS event). */
  refresh(): void {
    this.#followEnvoys();
    this.#rateLimit.refresh();
    const snapshot = this.options.cache.get(this.options.gateway.fleet);
    if (snapshot !== undefined && this.#served?.version === snapshot.version) {
      this.#state = fleetState(snapshot, this.options.nodes());
      if (this.#state.kind === 'Programmed') this.#lastGood = this.#served.carried;
    }
    const stamp = [this.#desired, this.#state.kind, 'message' in this.#state ? this.#state.message : '', this.#lastGood, ...this.#rateLimit.stamp()];
    if (sameParts(stamp, this.#stamp)) return;
    this.#stamp = stamp;
    const statuses = this.statuses();
    for (const listener of this.#listeners) listener(statuses);
  }

  #programmed(key: string, desired: DesiredStatus): ConditionValue {
    const envoy = programmedCondition(key, desired, this.#state, this.#lastGood);
    return RATE_LIMIT_KINDS.has(desired.source.kind) && desired.inIR ? this.#rateLimit.programmed(envoy) : envoy;
  }

  statuses(): ReadonlyMap<string, ObjectStatus> {
    const now = { desired: this.#desired, lastGood: this.#lastGood, rateLimit: this.#rateLimit.stamp() };
    const from = this.#derivedFrom;
    // Rate-limited kinds follow the rate-limit fleet too: when it moved, every object is derived.
    const keys = from !== undefined && sameParts(from.rateLimit, now.rateLimit) ? maybeChanged(from, now) : undefined;
    const statuses = this.#statuses.derive(this.#desired, (key, desired) => this.#programmed(key, desired), keys);
    this.#derivedFrom = now;
    return statuses;
  }
}
