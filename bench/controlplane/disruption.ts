/**
 * Disruption under edits: `clients` callers loop over routes of Apis that do not change, through
 * Envoy on keep-alive connections, while a burst of Api edits goes to the control plane; every answer
 * that is not a 2xx with the route's own body counts.
 */
import { mockBody, routeOf, spreadIndexes } from './fixtures';
import { serves, type Live } from './gateway';
import { progress } from './log';
import { waitQuiet } from './procfs';
import { mapLimit, since, sleep } from './stats';
import { EnvoyClient } from './traffic';

export interface DisruptionResult {
  readonly edited: number;
  readonly unchangedRoutes: number;
  readonly requests: number;
  readonly non2xx: number;
  /** Connection errors and timeouts (no HTTP answer at all). */
  readonly errors: number;
  /** 2xx answers with another route's body. */
  readonly wrongBody: number;
  /** First edit sent → every edit served, ms. */
  readonly allServedMs: number;
  readonly examples: readonly string[];
}

export interface DisruptionOptions {
  readonly edits: number;
  readonly clients: number;
  readonly unchanged: number;
  readonly timeoutMs: number;
  readonly settleMs: number;
}

interface Counters {
  requests: number;
  non2xx: number;
  errors: number;
  wrongBody: number;
  readonly examples: string[];
}

function note(counters: Counters, example: string): void {
  if (counters.examples.length < 5) counters.examples.push(example);
}

async function client(live: Live, routes: readonly number[], offset: number, counters: Counters, stop: { stopped: boolean }): Promise<void> {
  const http = new EnvoyClient(live.controlPlane.httpPort, 1);
  try {
    for (let k = offset; !stop.stopped; k += 1) {
      const i = routes[k % routes.length] ?? 0;
      const { host, path } = routeOf(live.size, live.namespace, i);
      counters.requests += 1;
      try {
        const reply = await http.get(host, path);
        if (reply.status < 200 || reply.status > 299) {
          counters.non2xx += 1;
          note(counters, `${path}: HTTP ${reply.status} ${reply.body.slice(0, 120)}`);
        } else if (reply.body !== mockBody(i, live.revisions.get(i) ?? 0)) {
          counters.wrongBody += 1;
          note(counters, `${path}: wrong body ${reply.body.slice(0, 80)}`);
        }
      } catch (err) {
        counters.errors += 1;
        note(counters, `${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  } finally {
    http.close();
  }
}

/** Sends the edits one after another (a burst, like applying a directory or saving many files) and waits until all are served. */
async function editBurst(live: Live, edits: readonly number[], timeoutMs: number): Promise<number> {
  const start = performance.now();
  const revisionOf = new Map<number, number>();
  for (const i of edits) {
    const revision = (live.revisions.get(i) ?? 0) + 1;
    revisionOf.set(i, revision);
    await live.edit(i, revision);
    live.revisions.set(i, revision);
  }
  let missing = [...edits];
  while (missing.length > 0) {
    if (since(start) > timeoutMs) throw new Error(`${missing.length} edited Apis not served after ${timeoutMs} ms`);
    const ok = await mapLimit(missing, 8, (i) => serves(live, i, revisionOf.get(i) ?? 0));
    missing = missing.filter((_, k) => ok[k] !== true);
    if (missing.length > 0) await sleep(5);
  }
  return since(start);
}

export async function measureDisruption(live: Live, options: DisruptionOptions): Promise<DisruptionResult> {
  const editCount = Math.min(options.edits, Math.floor(live.size.apis / 2));
  const chosen = spreadIndexes(live.size.apis, editCount + options.unchanged, 1);
  const edits = chosen.slice(0, editCount);
  const unchanged = chosen.slice(editCount);
  await live.settled(options.settleMs);
  await waitQuiet(live.controlPlane.proc.pid, { timeoutMs: options.settleMs });
  const counters: Counters = { requests: 0, non2xx: 0, errors: 0, wrongBody: 0, examples: [] };
  const stop = { stopped: false };
  const step = Math.max(1, Math.floor(unchanged.length / options.clients));
  const clients = Array.from({ length: options.clients }, (_, c) => client(live, unchanged, c * step, counters, stop));
  await sleep(1_000);
  progress(`  ${options.clients} clients on ${unchanged.length} unchanged routes; editing ${edits.length} Apis`);
  const allServedMs = await editBurst(live, edits, options.timeoutMs);
  // Keep the load on while the edits' status writes echo back through the pipeline.
  await sleep(2_000);
  stop.stopped = true;
  await Promise.all(clients);
  const { examples, ...counts } = counters;
  return { edited: edits.length, unchangedRoutes: unchanged.length, ...counts, allServedMs, examples };
}
