/** One size and mode against the real components: memory, settle time, apply-to-served, edits under load. */
import type { BenchOptions } from './args';
import { formatSlowest, snapshotTimes, splitSamples, statusWrites, type Split } from './breakdown';
import { measureDisruption, type DisruptionResult } from './disruption';
import type { Size } from './fixtures';
import { withCluster } from './cluster';
import type { Mode } from './gateway';
import { withStandalone } from './standalone';
import { measureLatency, type LatencyResult } from './latency';
import { progress } from './log';
import { memoryOf, type Memory } from './procfs';
import { since } from './stats';

export interface LiveResult {
  readonly mode: Mode;
  readonly size: Size;
  readonly coldStartMs: number;
  /** Cluster mode: operator start → every ApiGroup and Api Programmed=True (undefined: not within the timeout). */
  readonly settledMs: number | undefined;
  /** Cluster mode: status writes from operator start until settled (or the timeout). */
  readonly statusWrites: number;
  readonly memoryServed: Memory;
  readonly memorySettled: Memory;
  /** At the end of the run (peak = VmHWM over the whole run). */
  readonly memoryEnd: Memory;
  readonly latency: LatencyResult;
  readonly split: Split;
  readonly disruption: DisruptionResult;
}

export function measureLive(mode: Mode, size: Size, options: BenchOptions): Promise<LiveResult> {
  const live = {
    createConcurrency: options.createConcurrency, keep: options.keep, seedStatuses: !options.freshStatuses, standaloneArgs: options.standaloneArgs,
    ...(options.cpuProfDir === undefined ? {} : { cpuProfDir: options.cpuProfDir }),
    ...(options.nodeOptions === undefined ? {} : { nodeOptions: options.nodeOptions }),
  };
  const withLive = mode === 'cluster' ? withCluster : withStandalone;
  return withLive(size, live, async (gateway) => {
    const pid = gateway.controlPlane.proc.pid;
    const memoryServed = memoryOf(pid);
    progress(`control plane RSS ${memoryServed.rss.toFixed(0)} MiB once all served; waiting for statuses to settle`);
    const settled = await gateway.settled(options.settleTimeoutMs, (pending) => { progress(`  ${pending} objects not Programmed yet`); });
    const settledMs = settled ? since(gateway.startedAt) : undefined;
    progress(settled ? `statuses settled ${(since(gateway.startedAt) / 1000).toFixed(1)} s after operator start` : 'statuses did not settle in time');
    const memorySettled = memoryOf(pid);
    const writes = statusWrites(gateway.controlPlane.proc.logFile);
    progress(`apply-to-served: ${options.samples} samples`);
    const timeoutMs = 30 * 60_000;
    const settleMs = options.sampleSettleMs;
    const latency = await measureLatency(gateway, { samples: options.samples, pollMs: options.pollMs, timeoutMs, settleMs });
    const split = splitSamples(latency.sentAt, latency.samples, snapshotTimes(gateway.controlPlane.proc.logFile));
    progress(`apply-to-served p50 ${latency.p50.toFixed(0)} ms (to snapshot ${split.toSnapshotP50.toFixed(0)}, then to Envoy ${split.toEnvoyP50.toFixed(0)}), p99 ${latency.p99.toFixed(0)} ms (three slowest, to snapshot / then to Envoy: ${formatSlowest(split)})`);
    const disruption = await measureDisruption(gateway, { edits: options.edits, clients: options.clients, unchanged: options.unchanged, timeoutMs, settleMs });
    progress(`edits under load: ${disruption.requests} requests, ${disruption.non2xx} non-2xx, ${disruption.errors} errors`);
    for (const example of disruption.examples) progress(`  e.g. ${example}`);
    return {
      mode, size, coldStartMs: gateway.coldStartMs, settledMs, statusWrites: writes, memoryServed, memorySettled, memoryEnd: memoryOf(pid), latency, split, disruption,
    };
  });
}
