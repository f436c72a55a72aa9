/**
 * Apply-to-served latency of a single Api change while the rest exist: the clock starts when the
 * edit leaves (the merge patch handed to the API server connection, or the group's manifest file
 * about to be written) and stops when Envoy first answers the Api's route with the new mock body
 * (polled with real HTTP requests every `pollMs`).
 */
import { spreadIndexes } from './fixtures';
import { serves, type Live } from './gateway';
import { progress } from './log';
import { waitQuiet } from './procfs';
import { percentile, since, sleep } from './stats';

export interface LatencyResult {
  readonly samples: readonly number[];
  /** Wall-clock time (ms since the epoch) each sample's write was sent, for matching the operator log. */
  readonly sentAt: readonly number[];
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Median round trip of the write itself (PATCH sent → API server answered, or the file written). */
  readonly writeP50: number;
  /** Samples taken on a quiet control plane (statuses settled, operator CPU idle). */
  readonly quiet: number;
}

export interface LatencyOptions {
  readonly samples: number;
  readonly pollMs: number;
  readonly timeoutMs: number;
  /** How long to let the control plane settle before each sample. */
  readonly settleMs: number;
}

export interface EditTiming {
  /** Write sent → Envoy serves the new body, ms. */
  readonly served: number;
  /** Write sent → API server answered, ms. */
  readonly written: number;
  /** When the write was sent, ms since the epoch. */
  readonly sentAt: number;
}

/** Edits Api `i` to its next revision and times it. */
async function timedEdit(live: Live, i: number, options: Pick<LatencyOptions, 'pollMs' | 'timeoutMs'>): Promise<EditTiming> {
  const revision = (live.revisions.get(i) ?? 0) + 1;
  live.revisions.set(i, revision);
  let sent = 0;
  let written = Number.NaN;
  const write = live.edit(i, revision, () => { sent = performance.now(); }).then(() => { written = since(sent); });
  for (;;) {
    if (await serves(live, i, revision)) break;
    if (since(sent) > options.timeoutMs) throw new Error(`Api ${i} revision ${revision} not served after ${options.timeoutMs} ms`);
    await sleep(options.pollMs);
  }
  const served = since(sent);
  await write;
  return { served, written, sentAt: performance.timeOrigin + sent };
}

/**
 * Takes `samples` sequential samples on distinct Apis spread over the set. Before each one the
 * control plane is let settle (the previous edit's status written, operator CPU quiet), so a
 * sample measures the pipeline, not the queue behind the previous sample's status echo.
 */
export async function measureLatency(live: Live, options: LatencyOptions): Promise<LatencyResult> {
  const served: number[] = [];
  const writes: number[] = [];
  const sentAt: number[] = [];
  let quiet = 0;
  for (const [k, i] of spreadIndexes(live.size.apis, options.samples).entries()) {
    if ((await live.settled(options.settleMs)) && (await waitQuiet(live.controlPlane.proc.pid, { timeoutMs: options.settleMs }))) quiet += 1;
    const timing = await timedEdit(live, i, options);
    served.push(timing.served);
    writes.push(timing.written);
    sentAt.push(timing.sentAt);
    if ((k + 1) % 10 === 0) progress(`  ${k + 1}/${options.samples} samples, last ${timing.served.toFixed(0)} ms`);
  }
  return {
    samples: served,
    sentAt,
    p50: percentile(served, 50),
    p99: percentile(served, 99),
    max: Math.max(...served),
    writeP50: percentile(writes, 50),
    quiet,
  };
}
