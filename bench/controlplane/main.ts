/**
 * bench/controlplane: how the control plane scales with the number of Apis. For each size it
 * measures full translation in-process, then runs the real components in each mode (cluster:
 * kube-apiserver + etcd, `turnpike operator`, Envoy; standalone: `turnpike standalone -f DIR`
 * and its Envoy) for memory, apply-to-served latency and disruption under edits.
 * Prints Markdown tables on stdout; progress on stderr. See docs/performance.md.
 *
 *   make bench-controlplane
 *   node bench/dist/controlplane/main.js --sizes 100x10,1000x100 --samples 30
 */
import os from 'node:os';
import { parseBenchArgs, USAGE, type BenchOptions } from './args';
import { progress } from './log';
import { measureLive, type LiveResult } from './live';
import { disruptionTable, liveTable, targetsSummary, translationTable } from './table';
import { measureTranslation, type TranslationTimes } from './translation';
import type { Size } from './fixtures';

function print(text: string): void {
  process.stdout.write(`${text}\n\n`);
}

function host(): string {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, load average ${load}`;
}

async function run(options: BenchOptions): Promise<void> {
  print(`Host at start: ${host()}`);
  if (options.standaloneArgs.length > 0) print(`turnpike standalone runs with: ${options.standaloneArgs.join(' ')}`);
  const translations: { size: Size; times: TranslationTimes }[] = [];
  for (const size of options.sizes) {
    progress(`translation in-process: ${size.apis} Apis in ${size.groups} groups`);
    translations.push({ size, times: measureTranslation(size, options.runs) });
  }
  print(translationTable(translations, options.runs));
  if (options.translateOnly) return;
  const lives: LiveResult[] = [];
  for (const size of options.sizes) {
    for (const mode of options.modes) {
      progress(`live, ${mode} mode: ${size.apis} Apis in ${size.groups} groups`);
      lives.push(await measureLive(mode, size, options));
    }
  }
  print(liveTable(lives));
  print(disruptionTable(lives, options.clients));
  print(targetsSummary(lives));
  print(`Host at end: ${host()}`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    process.stdout.write(USAGE);
    return;
  }
  let options: BenchOptions;
  try {
    options = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)} (--help lists the flags)\n`);
    process.exitCode = 2;
    return;
  }
  await run(options);
}

// Ctrl-C or a kill: exit through process.exit so the harness's exit hook kills every component.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping every component`);
    process.exit(130);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
