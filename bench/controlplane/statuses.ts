/**
 * Follows the status the operator writes on every ApiGroup and Api (a list, then a watch per
 * kind), to tell when the control plane has finished reporting: every object Programmed=True for
 * its current generation. After a bulk import that takes a while (the status writer is rate
 * limited), and every status write is itself a change the informers see.
 */
import { collectionPath, streamLines, type KubeClient, type Plural, type Stream } from './kube';
import { sleep } from './stats';

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly observedGeneration?: number;
}

interface Item {
  readonly metadata?: { readonly name?: string; readonly generation?: number };
  readonly status?: { readonly conditions?: readonly Condition[] };
}

interface WatchEvent {
  readonly type?: string;
  readonly object?: Item;
}

const PLURALS: readonly Plural[] = ['apigroups', 'apis'];

function isProgrammed(item: Item): boolean {
  const generation = item.metadata?.generation;
  return (item.status?.conditions ?? []).some((c) => c.type === 'Programmed' && c.status === 'True' && c.observedGeneration === generation);
}

export class StatusFollower {
  /** `plural/name` → Programmed for its current generation. */
  readonly #programmed = new Map<string, boolean>();
  readonly #streams: Stream[] = [];
  #closed = false;

  constructor(private readonly kube: KubeClient, private readonly namespace: string) {}

  async start(): Promise<void> {
    for (const plural of PLURALS) await this.#follow(plural);
  }

  /** Objects not yet Programmed=True for their current generation. */
  pending(): number {
    let count = 0;
    for (const programmed of this.#programmed.values()) if (!programmed) count += 1;
    return count;
  }

  isProgrammed(plural: Plural, name: string): boolean {
    return this.#programmed.get(`${plural}/${name}`) === true;
  }

  /** Marks an object as changed by us (its new generation is not Programmed until we hear so). */
  touched(plural: Plural, name: string): void {
    this.#programmed.set(`${plural}/${name}`, false);
  }

  /** Waits until every object is Programmed, or the timeout; returns whether they all are. */
  async waitAll(timeoutMs: number, onTick?: (pending: number) => void): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    let lastTick = 0;
    while (this.pending() > 0 && performance.now() < deadline) {
      if (performance.now() - lastTick > 10_000) {
        lastTick = performance.now();
        onTick?.(this.pending());
      }
      await sleep(100);
    }
    return this.pending() === 0;
  }

  close(): void {
    this.#closed = true;
    for (const stream of this.#streams) stream.close();
  }

  async #follow(plural: Plural): Promise<void> {
    const path = collectionPath(this.namespace, plural);
    const reply = await this.kube.request('GET', path);
    if (reply.status !== 200) throw new Error(`list ${plural}: HTTP ${reply.status}`);
    const list = JSON.parse(reply.body) as { items?: Item[]; metadata?: { resourceVersion?: string } };
    for (const item of list.items ?? []) this.#record(plural, item);
    const rv = list.metadata?.resourceVersion ?? '';
    const stream = streamLines(this.kube, `${path}?watch=1&resourceVersion=${rv}&timeoutSeconds=7200`, (line) => {
      const event = JSON.parse(line) as WatchEvent;
      if (event.object === undefined) return;
      if (event.type === 'DELETED') this.#programmed.delete(`${plural}/${event.object.metadata?.name ?? ''}`);
      else if (event.type === 'ADDED' || event.type === 'MODIFIED') this.#record(plural, event.object);
    });
    this.#streams.push(stream);
    // A watch that ends early (expired, server restart) starts over from a fresh list.
    void stream.done.catch(() => undefined).then(async () => {
      if (!this.#closed) await this.#follow(plural);
    }).catch(() => undefined);
  }

  #record(plural: Plural, item: Item): void {
    const name = item.metadata?.name;
    if (name !== undefined) this.#programmed.set(`${plural}/${name}`, isProgrammed(item));
  }
}
