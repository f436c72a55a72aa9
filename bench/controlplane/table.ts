/** Markdown tables of the results (stdout), ready to paste into docs/performance.md. */
import { formatSlowest } from './breakdown';
import type { LiveResult } from './live';
import type { TranslationTimes } from './translation';
import type { Size } from './fixtures';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---:')), ...rows.map(line)].join('\n');
}

const ms = (value: number): string => value.toFixed(0);
const s = (value: number | undefined): string => (value === undefined ? 'timeout' : (value / 1000).toFixed(1));
const mib = (value: number): string => value.toFixed(0);
const count = (value: number): string => value.toLocaleString('en-US');

export function translationTable(rows: readonly { size: Size; times: TranslationTimes }[], runs: number): string {
  return [
    `Full translation, in-process (median of ${runs} runs, ms)`,
    '',
    table(
      ['Apis', 'groups', 'ResourceSet', 'validate', 'CR → IR', 'IR → Envoy', 'snapshot', 'total', 'route config KiB', 'retained heap MiB', 'CR → IR, 1 edit', 'snapshot, 1 Api changed'],
      rows.map(({ size, times: t }) => [
        count(size.apis), count(size.groups), ms(t.resourceSet), ms(t.validate), ms(t.crToIr), ms(t.irToEnvoy), ms(t.snapshot), ms(t.total),
        (t.routeConfigBytes / 1024).toFixed(0), mib(t.retainedMiB), t.crToIrEdit.toFixed(1), t.snapshotOneApi.toFixed(1),
      ]),
    ),
  ].join('\n');
}

/** Cluster-mode figures that standalone mode does not have (it writes no status). */
const clusterOnly = (r: LiveResult, value: string): string => (r.mode === 'cluster' ? value : '–');

export function liveTable(rows: readonly LiveResult[]): string {
  return [
    'Real control plane and Envoy (cluster: operator and API server; standalone: manifest files, one per group)',
    '',
    table(
      ['mode', 'Apis', 'groups', 'start → served s', 'statuses settled s', 'status writes', 'RSS served MiB', 'RSS settled MiB', 'RSS peak MiB',
        'apply → served p50 ms', 'p99 ms', 'max ms', 'p50 to snapshot ms', 'p50 snapshot → Envoy ms', '3 slowest: to snapshot / → Envoy ms', 'write RTT p50 ms', 'samples (quiet)'],
      rows.map((r) => [
        r.mode, count(r.size.apis), count(r.size.groups), s(r.coldStartMs), clusterOnly(r, s(r.settledMs)), clusterOnly(r, count(r.statusWrites)), mib(r.memoryServed.rss), mib(r.memorySettled.rss),
        mib(r.memoryEnd.peak), ms(r.latency.p50), ms(r.latency.p99), ms(r.latency.max), ms(r.split.toSnapshotP50), ms(r.split.toEnvoyP50),
        formatSlowest(r.split),
        r.latency.writeP50.toFixed(1), `${r.latency.samples.length} (${r.latency.quiet})`,
      ]),
    ),
  ].join('\n');
}

export function disruptionTable(rows: readonly LiveResult[], clients: number): string {
  return [
    `Edits under load (${clients} clients looping over unchanged routes through Envoy)`,
    '',
    table(
      ['mode', 'Apis', 'groups', 'Apis edited', 'unchanged routes', 'requests', 'non-2xx', 'errors', 'wrong body', 'all edits served s'],
      rows.map(({ mode, size, disruption: d }) => [
        mode, count(size.apis), count(size.groups), String(d.edited), String(d.unchangedRoutes), count(d.requests), String(d.non2xx), String(d.errors),
        String(d.wrongBody), s(d.allServedMs),
      ]),
    ),
  ].join('\n');
}

/** The targets (docs/performance.md), checked for each mode on the largest size measured. */
const TARGETS = { p99Ms: 50, peakMiB: 192, coldStartMs: 8_000 } as const;

export function targetsSummary(rows: readonly LiveResult[]): string {
  const largest = Math.max(...rows.map((r) => r.size.apis));
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  return rows.filter((r) => r.size.apis === largest).map((r) => {
    const d = r.disruption;
    return [
      `Targets at ${count(r.size.apis)} Apis in ${count(r.size.groups)} groups, ${r.mode} mode:`,
      `- apply-to-served p99 ≤ ${TARGETS.p99Ms} ms: ${ms(r.latency.p99)} ms — ${verdict(r.latency.p99 <= TARGETS.p99Ms)}`,
      `- control-plane RSS peak ≤ ${TARGETS.peakMiB} MiB: ${mib(r.memoryEnd.peak)} MiB — ${verdict(r.memoryEnd.peak <= TARGETS.peakMiB)}`,
      `- cold start → every Api served ≤ ${TARGETS.coldStartMs / 1000} s: ${s(r.coldStartMs)} s — ${verdict(r.coldStartMs <= TARGETS.coldStartMs)}`,
      `- zero non-2xx on unchanged routes under edits: ${d.non2xx} non-2xx, ${d.errors} errors — ${verdict(d.non2xx + d.errors === 0)}`,
    ].join('\n');
  }).join('\n\n');
}
