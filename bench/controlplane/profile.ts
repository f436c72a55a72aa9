/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, or the operator run with `--cpu-prof DIR`):
 * self time by function and by file, and total (inclusive) time of the functions that matter.
 *
 *   node bench/dist/controlplane/profile.js FILE.cpuprofile [--top 25] [--after SECONDS] [--before SECONDS]
 *
 * --after leaves out the first SECONDS of the profile (a start-up, to see the edits after it);
 * --before leaves out what comes after SECONDS (to see only a start-up).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function where(frame: CallFrame): string {
  const file = frame.url === '' ? '(native)' : frame.url.replace(/^file:\/\//, '').replace(/.*\/(operator|xds-server|e2e|bench|node_modules)\//, '$1/');
  return file;
}

function label(frame: CallFrame): string {
  return `${frame.functionName === '' ? '(anonymous)' : frame.functionName} ${where(frame)}:${frame.lineNumber + 1}`;
}

/** The part of a profile to summarise, in ms from its start. */
interface Window { readonly afterMs: number; readonly beforeMs: number }

/** Self time per node id, in ms, of the samples taken within `window`. */
function selfTimes(profile: CpuProfile, window: Window): Map<number, number> {
  const self = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, k) => {
    const delta = (profile.timeDeltas[k] ?? 0) / 1000;
    at += delta;
    if (at >= window.afterMs && at < window.beforeMs) self.set(id, (self.get(id) ?? 0) + delta);
  });
  return self;
}

/** Inclusive time per label: a label counted once per stack even when recursive. */
function totals(profile: CpuProfile, self: ReadonlyMap<number, number>): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const total = new Map<string, number>();
  const visit = (id: number, onStack: ReadonlySet<string>): number => {
    const node = byId.get(id);
    if (node === undefined) return 0;
    const name = label(node.callFrame);
    const inner = new Set(onStack).add(name);
    let sum = self.get(id) ?? 0;
    for (const child of node.children ?? []) sum += visit(child, inner);
    if (!onStack.has(name)) total.set(name, (total.get(name) ?? 0) + sum);
    return sum;
  };
  const root = profile.nodes[0];
  if (root !== undefined) visit(root.id, new Set());
  return total;
}

function top(map: ReadonlyMap<string, number>, n: number, all: number): string[] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([name, ms]) => `${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / all).toFixed(1).padStart(5)} %  ${name}`);
}

function summarise(file: string, n: number, window: Window): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const self = selfTimes(profile, window);
  const all = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    byFunction.set(label(node.callFrame), (byFunction.get(label(node.callFrame)) ?? 0) + ms);
    byFile.set(where(node.callFrame), (byFile.get(where(node.callFrame)) ?? 0) + ms);
  }
  return [
    `${path.basename(file)}: ${(all / 1000).toFixed(1)} s sampled`,
    '', 'self time by file:', ...top(byFile, n, all),
    '', 'self time by function:', ...top(byFunction, n, all),
    '', 'total time by function:', ...top(totals(profile, self), n, all),
  ].join('\n');
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, after: { type: 'string', default: '0' }, before: { type: 'string', default: 'Infinity' } } });
const [file] = positionals;
if (file === undefined) {
  process.stderr.write('usage: node bench/dist/controlplane/profile.js FILE.cpuprofile [--top N] [--after SECONDS] [--before SECONDS]\n');
  process.exitCode = 2;
} else {
  process.stdout.write(`${summarise(file, Number(values.top), { afterMs: 1000 * Number(values.after), beforeMs: 1000 * Number(values.before) })}\n`);
}
