/**
 * How many Envoys of the fleet are connected to the control plane as a whole. Every operator
 * replica serves xDS to some of the Envoys, and each Envoy's share of a Fast limit must count them
 * all (xds-server/src/translate/fast-throttle.ts). Each replica writes its own count into one
 * shared Lease (`<lease>-envoys`), as an annotation of its own, `envoys.turnpike.dev/<identity>`:
 * `{"envoys": n, "renewed": ms}`, with a JSON merge patch that touches no other key. Every replica
 * reads the Lease every POLL_MS and adds the counts of the peers whose entry changed within
 * EXPIRY_MS (renewed every RENEW_MS); entries gone stale longer than FORGET_MS are removed.
 *
 * A replica that dies leaves its count behind until it expires, while its Envoys reconnect to
 * another replica and count there too: the total errs high, which only makes the shares smaller.
 * While the API server cannot be read, the last counts stand (they do not expire without a read).
 */
import type { Logger } from '../log';
import { LEASES, objectPath, type KubeClient } from '../kube/client';
import { describeError, httpStatus } from '../kube/errors';
import type { Lease } from './lease';
import { CENSUS_PREFIX as PREFIX, censusKey } from './census-key';

const POLL_MS = 250;
const RENEW_MS = 5_000;
const EXPIRY_MS = 15_000;
const FORGET_MS = 60_000;
const TIMEOUT_MS = 5_000;

export interface EnvoyCensusOptions {
  readonly kube: KubeClient;
  /** The shared Lease: `<name>-envoys` in `namespace` (the operator's, where its RBAC grants it). */
  readonly namespace: string;
  readonly leaseName: string;
  readonly identity: string;
  /** Envoys of the fleet connected to this replica now. */
  readonly local: () => number;
  /** Called when the total changed. */
  readonly onChange: () => void;
  readonly log: Logger;
}

interface Entry { readonly envoys: number; readonly renewed: number }

function parseEntry(value: string): Entry | undefined {
  try {
    const parsed = JSON.parse(value) as Partial<Entry>;
    return typeof parsed.envoys === 'number' && typeof parsed.renewed === 'number' ? { envoys: parsed.envoys, renewed: parsed.renewed } : undefined;
  } catch {
    return undefined;
  }
}

export class EnvoyCensus {
  readonly #kube: KubeClient;
  readonly #name: string;
  readonly #key: string;
  /** Peers' entries as last read, and when (this replica's clock, at a successful read) each last changed. */
  readonly #peers = new Map<string, { entry: Entry; changedAt: number }>();
  #lastRead = 0;
  #published: Entry | undefined;
  #total = 0;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  constructor(private readonly options: EnvoyCensusOptions) {
    this.#kube = options.kube;
    this.#name = `${options.leaseName}-envoys`;
    this.#key = censusKey(options.identity);
  }

  /** Envoys connected to the other replicas. */
  peers(): number {
    let sum = 0;
    for (const { entry, changedAt } of this.#peers.values()) if (this.#lastRead - changedAt < EXPIRY_MS) sum += entry.envoys;
    return sum;
  }

  start(): void {
    this.#timer = setInterval(() => { void this.#tick(); }, POLL_MS);
    void this.#tick();
  }

  /** Publishes this replica's count now if it changed (call on ADS events). */
  localChanged(): void {
    if (this.#published?.envoys !== this.options.local()) void this.#tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#patch({ [this.#key]: null }).catch(() => undefined);
  }

  async #tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const envoys = this.options.local();
      const now = Date.now();
      if (this.#published === undefined || this.#published.envoys !== envoys || now - this.#published.renewed >= RENEW_MS) await this.#publish({ envoys, renewed: now });
      await this.#read();
      const total = this.options.local() + this.peers();
      if (total !== this.#total) {
        this.#total = total;
        this.options.onChange();
      }
    } catch (err) {
      this.options.log.warn('Envoy census: the API server did not answer; the last counts stand', { err: describeError(err) });
    } finally {
      this.#busy = false;
    }
  }

  async #publish(entry: Entry): Promise<void> {
    try {
      await this.#patch({ [this.#key]: JSON.stringify(entry) });
    } catch (err) {
      if (httpStatus(err) !== 404) throw err;
      const lease: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.#name, namespace: this.options.namespace, annotations: { [this.#key]: JSON.stringify(entry) } }, spec: {} };
      await this.#kube.create(objectPath(LEASES, this.options.namespace), lease, { timeoutMs: TIMEOUT_MS }).catch((e: unknown) => {
        if (httpStatus(e) !== 409) throw e;
      });
    }
    this.#published = entry;
  }

  async #read(): Promise<void> {
    const lease = await this.#kube.get<Lease>(objectPath(LEASES, this.options.namespace, this.#name), { timeoutMs: TIMEOUT_MS });
    const now = Date.now();
    const seen = new Set<string>();
    for (const [key, value] of Object.entries(lease.metadata?.annotations ?? {})) {
      const entry = key.startsWith(PREFIX) && key !== this.#key ? parseEntry(value) : undefined;
      if (entry === undefined) continue;
      seen.add(key);
      const known = this.#peers.get(key);
      if (known === undefined || known.entry.renewed !== entry.renewed || known.entry.envoys !== entry.envoys) this.#peers.set(key, { entry, changedAt: now });
    }
    for (const key of [...this.#peers.keys()]) if (!seen.has(key)) this.#peers.delete(key);
    this.#lastRead = now;
    const forgotten = [...this.#peers].filter(([, p]) => now - p.changedAt >= FORGET_MS).map(([key]) => key);
    if (forgotten.length > 0) await this.#patch(Object.fromEntries(forgotten.map((key) => [key, null])));
  }

  #patch(annotations: Record<string, string | null>): Promise<Lease> {
    return this.#kube.patch<Lease>(objectPath(LEASES, this.options.namespace, this.#name), { metadata: { annotations } }, 'merge', { timeoutMs: TIMEOUT_MS });
  }
}
