/** Command-line flags of `node bench/dist/controlplane/main.js`. */
import { parseArgs } from 'node:util';
import type { Size } from './fixtures';
import { MODES, type Mode } from './gateway';

export interface BenchOptions {
  readonly sizes: readonly Size[];
  /** Control-plane modes measured for each size, side by side. */
  readonly modes: readonly Mode[];
  /** In-process translation runs per size (the median is reported). */
  readonly runs: number;
  /** Apply-to-served samples per size. */
  readonly samples: number;
  readonly pollMs: number;
  /** Apis edited during the disruption measurement (at most half the Apis). */
  readonly edits: number;
  readonly clients: number;
  /** Unchanged routes the clients loop over. */
  readonly unchanged: number;
  readonly createConcurrency: number;
  /** Upper bound for the statuses to settle after the operator starts. */
  readonly settleTimeoutMs: number;
  /** Upper bound for the control plane to settle before each sample. */
  readonly sampleSettleMs: number;
  /** Start the operator on objects without status (a bulk import) instead of seeding them. */
  readonly freshStatuses: boolean;
  /** Only the in-process translation (no cluster, operator or Envoy). */
  readonly translateOnly: boolean;
  readonly cpuProfDir?: string;
  /** NODE_OPTIONS for the control-plane process (e.g. --max-old-space-size=256). */
  readonly nodeOptions?: string;
  /** Keep each size's working directory (component logs) instead of deleting it. */
  readonly keep: boolean;
  /** More arguments for `turnpike standalone` (e.g. --no-ratelimit). */
  readonly standaloneArgs: readonly string[];
}

export const USAGE = `usage: node bench/dist/controlplane/main.js [flags]
  --sizes 100x10,1000x100,10000x500   Apis x groups per row
  --modes cluster,standalone  control planes measured for each size: \`turnpike operator\` against
                            kube-apiserver, and \`turnpike standalone -f DIR\` (one file per group)
  --runs 5                  in-process translation runs per size (median)
  --samples 100             apply-to-served samples per size (p99 is the second slowest)
  --poll-ms 2               Envoy polling interval while waiting for a change
  --edits 100               Apis edited under load (at most half of the Apis)
  --clients 4               concurrent callers on unchanged routes during the edits
  --unchanged 500           unchanged routes those callers loop over
  --create-concurrency 32   parallel POSTs when creating the world
  --settle-timeout-s 1800   how long statuses may take to settle after the operator starts
  --sample-settle-s 120     how long to let the control plane settle before each sample
  --fresh-statuses          start on objects without status (bulk import) instead of seeding
                            the statuses the operator would write (steady state)
  --translate-only          in-process translation only
  --cpu-prof DIR            write a V8 CPU profile of the control-plane process into DIR
  --operator-node-options=S NODE_OPTIONS for the control plane, operator or standalone
                            (e.g. --operator-node-options=--max-old-space-size=256)
  --keep                    keep each size's working directory (component logs)
  --standalone-args=S       more arguments for \`turnpike standalone\`, space-separated
                            (e.g. --standalone-args=--no-ratelimit: no rate-limit service, as
                            the cluster mode's operator runs; see docs/performance.md)
`;

function int(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: ${value} is not an integer ≥ ${min}`);
  return n;
}

function parseSizes(text: string): Size[] {
  return text.split(',').map((item) => {
    const match = /^(\d+)x(\d+)$/.exec(item.trim());
    const apis = Number(match?.[1]);
    const groups = Number(match?.[2]);
    if (match === null || apis < 1 || groups < 1) throw new Error(`--sizes: "${item}" is not APISxGROUPS (e.g. 1000x100)`);
    return { apis, groups };
  });
}

function parseModes(text: string): Mode[] {
  return text.split(',').map((item) => {
    const mode = MODES.find((m) => m === item.trim());
    if (mode === undefined) throw new Error(`--modes: "${item}" is not one of ${MODES.join(', ')}`);
    return mode;
  });
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      sizes: { type: 'string' }, modes: { type: 'string' }, runs: { type: 'string' }, samples: { type: 'string' }, 'poll-ms': { type: 'string' },
      edits: { type: 'string' }, clients: { type: 'string' }, unchanged: { type: 'string' },
      'create-concurrency': { type: 'string' }, 'settle-timeout-s': { type: 'string' }, 'sample-settle-s': { type: 'string' },
      'fresh-statuses': { type: 'boolean' },
      'translate-only': { type: 'boolean' }, 'cpu-prof': { type: 'string' }, 'operator-node-options': { type: 'string' }, keep: { type: 'boolean' },
      'standalone-args': { type: 'string' },
    },
  });
  return {
    sizes: parseSizes(values.sizes ?? '100x10,1000x100,10000x500'),
    modes: parseModes(values.modes ?? MODES.join(',')),
    runs: int('runs', values.runs, 5),
    samples: int('samples', values.samples, 100),
    pollMs: int('poll-ms', values['poll-ms'], 2, 0),
    edits: int('edits', values.edits, 100),
    clients: int('clients', values.clients, 4),
    unchanged: int('unchanged', values.unchanged, 500),
    createConcurrency: int('create-concurrency', values['create-concurrency'], 32),
    settleTimeoutMs: int('settle-timeout-s', values['settle-timeout-s'], 1800) * 1000,
    sampleSettleMs: int('sample-settle-s', values['sample-settle-s'], 120) * 1000,
    freshStatuses: values['fresh-statuses'] === true,
    translateOnly: values['translate-only'] === true,
    keep: values.keep === true,
    standaloneArgs: (values['standalone-args'] ?? '').split(' ').filter((arg) => arg !== ''),
    ...(values['cpu-prof'] === undefined ? {} : { cpuProfDir: values['cpu-prof'] }),
    ...(values['operator-node-options'] === undefined ? {} : { nodeOptions: values['operator-node-options'] }),
  };
}
