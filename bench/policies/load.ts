/** A closed-loop HTTP load: `connections` keep-alive clients, each sending its next request when the last answered. */
import http from 'node:http';

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  /** Latencies in ms, sorted. */
  readonly latencies: readonly number[];
  readonly statuses: Readonly<Record<number, number>>;
  readonly errors: number;
}

export interface LoadOptions {
  readonly port: number;
  readonly host: string;
  readonly path: string;
  readonly connections: number;
  readonly seconds: number;
  /** Sent with every request (e.g. a signature, which stays valid for 15 minutes). */
  readonly headers?: Readonly<Record<string, string>>;
}

function once(agent: http.Agent, options: LoadOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: options.port, path: options.path, headers: { host: options.host, ...options.headers }, agent }, (res) => {
      res.resume();
      res.on('end', () => { resolve(res.statusCode ?? 0); });
    });
    req.on('error', reject);
    req.end();
  });
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(options.seconds * 1e9);
  const client = async (): Promise<void> => {
    while (process.hrtime.bigint() < deadline) {
      const t0 = process.hrtime.bigint();
      try {
        const status = await once(agent, options);
        statuses[status] = (statuses[status] ?? 0) + 1;
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, () => client()));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { requests: latencies.length, seconds, latencies: latencies.sort((a, b) => a - b), statuses, errors };
}

/** The q-quantile (0..1) of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** Several results of one variant as one. */
export function merge(results: readonly LoadResult[]): LoadResult {
  const statuses: Record<number, number> = {};
  for (const r of results) for (const [status, n] of Object.entries(r.statuses)) statuses[Number(status)] = (statuses[Number(status)] ?? 0) + n;
  return {
    requests: results.reduce((n, r) => n + r.requests, 0),
    seconds: results.reduce((n, r) => n + r.seconds, 0),
    latencies: results.flatMap((r) => r.latencies).sort((a, b) => a - b),
    statuses,
    errors: results.reduce((n, r) => n + r.errors, 0),
  };
}

/**
 * p99 added by `rounds` over `base`, paired by round (the rounds alternate, so round i of each ran
 * under the same conditions): the median over rounds of the per-round difference. One stalled
 * round, which moves the p99 of everything measured in it by tens of ms, cannot move it.
 */
export function pairedP99Added(rounds: readonly LoadResult[], base: readonly LoadResult[]): number {
  const added = rounds.map((r, i) => quantile(r.latencies, 0.99) - quantile(base[i]?.latencies ?? [], 0.99)).sort((a, b) => a - b);
  const middle = Math.floor(added.length / 2);
  if (added.length === 0) return Number.NaN;
  return added.length % 2 === 1 ? (added[middle] ?? Number.NaN) : ((added[middle - 1] ?? Number.NaN) + (added[middle] ?? Number.NaN)) / 2;
}
