/**
 * bench/policies: what throttling and access control cost. One standalone gateway (real Envoy
 * with the authn filter, envoyproxy/ratelimit, Redis, as `turnpike standalone` runs them), one
 * backend (an Envoy answering directly: ../common/backend.ts), and Apis on it that differ only in their policies and auth
 * (manifests.ts): `plain` (auth NONE, no policy), `acl` (an IP AclPolicy ALLOW 127.0.0.0/8), `fast`
 * and `exact` (a ThrottlePolicy with api and ip limits out of reach, so every call is counted and
 * passes, precision Fast or Exact), `policed` (auth APP with every call signed, a Fast
 * ThrottlePolicy with api, app and ip limits, and the IP AclPolicy) and, with --apis, `api` (an
 * Exact policy with only the api limit), `app` and `appfast` (policed's parts: APP alone, APP
 * with the Fast limits). Two phases, each in rounds alternating between the Apis
 * so drift in the machine's load hits all alike: saturated (closed loop: throughput and CPU per
 * request; the repository's Node client, load.ts), then paced at half of plain's saturated rate
 * (p99 added; open loop, vegeta: paced.ts, `make setup-bench`). Prints Markdown tables on
 * stdout; progress on stderr.
 *
 *   make bench-policies
 *   node bench/dist/policies/main.js --seconds 8 --rounds 3 --connections 16 [--apis plain,fast,policed,api]
 *
 * --default-api-limit N[/unit] runs the gateway with that default limit per Api (set it out of
 * reach): every Api, `plain` included, then asks the rate-limit service on every call.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { call, startStandalone, waitFor } from '@turnpike/e2e';
import { sign } from '@turnpike/sdk';
import { startBackend } from '../common/backend';
import { children, cpuSeconds, hostCpu } from './cpu';
import { load, merge, pairedP99Added, quantile, type LoadResult } from './load';
import { pacedLoad } from './paced';
import { BENCH_APP, HOST, manifests, VARIANTS, type Variant } from './manifests';

const progress = (text: string): void => { process.stderr.write(`[bench/policies] ${text}\n`); };

/** The processes whose CPU time is reported, in table order. */
const COMPONENTS = ['envoy', 'ratelimit', 'redis', 'backend', 'generator', 'controlPlane'] as const;
type Component = (typeof COMPONENTS)[number];
/** CPU seconds per component, and the host's (all CPUs, every process) over the same time. */
type Cpu = Record<Component | 'host' | 'steal' | 'capacity', number>;

const zero = (): Cpu => ({ envoy: 0, ratelimit: 0, redis: 0, backend: 0, generator: 0, controlPlane: 0, host: 0, steal: 0, capacity: 0 });

function sample(pids: Readonly<Record<Exclude<Component, 'generator'>, number | undefined>>): Cpu {
  const of = (pid: number | undefined): number => (pid === undefined ? 0 : cpuSeconds(pid));
  const self = process.cpuUsage();
  const host = hostCpu();
  return {
    envoy: of(pids.envoy), ratelimit: of(pids.ratelimit), redis: of(pids.redis), backend: of(pids.backend), controlPlane: of(pids.controlPlane),
    generator: (self.user + self.system) / 1e6, host: host.busy, steal: host.steal, capacity: host.total,
  };
}

function add(sum: Cpu, before: Cpu, after: Cpu): void {
  for (const key of Object.keys(sum) as (keyof Cpu)[]) sum[key] += after[key] - before[key];
}

const rps = (r: LoadResult): number => r.requests / r.seconds;
const non2xx = (r: LoadResult): number => Object.entries(r.statuses).filter(([s]) => !s.startsWith('2')).reduce((n, [, c]) => n + c, 0);
/** What the gateway itself (Envoy, ratelimit, Redis) spends per request, in µs. */
const gatewayUs = (r: LoadResult, c: Cpu): number => ((c.envoy + c.ratelimit + c.redis) * 1e6) / Math.max(1, r.requests);

function throughputRow(label: string, r: LoadResult, base: LoadResult): string {
  return `| ${label} | ${r.requests.toLocaleString('en-US')} | ${rps(r).toFixed(0)} | ${((rps(r) / rps(base)) * 100).toFixed(1)} % | ${quantile(r.latencies, 0.5).toFixed(2)} | ${quantile(r.latencies, 0.99).toFixed(2)} | ${non2xx(r)} | ${r.errors} |`;
}

function cpuRow(label: string, r: LoadResult, c: Cpu, base: { result: LoadResult; cpu: Cpu }): string {
  const us = (seconds: number): string => ((seconds * 1e6) / Math.max(1, r.requests)).toFixed(0);
  const ours = COMPONENTS.reduce((n, k) => n + c[k], 0);
  const others = Math.max(0, c.host - c.steal - ours);
  return `| ${label} | ${us(c.envoy)} | ${us(c.ratelimit)} | ${us(c.redis)} | **${gatewayUs(r, c).toFixed(0)}** | ${((gatewayUs(base.result, base.cpu) / gatewayUs(r, c)) * 100).toFixed(1)} % | ${us(c.backend)} | ${us(c.generator)} | ${us(c.controlPlane)} | ${us(others)} | ${((c.host / c.capacity) * 100).toFixed(0)} % (${((c.steal / c.capacity) * 100).toFixed(0)} %) |`;
}


interface Options {
  readonly seconds: number;
  readonly rounds: number;
  readonly connections: number;
  /** The gateway's --default-api-limit, if any. */
  readonly defaultApiLimit?: string;
  readonly variants: readonly Variant[];
}

function options(): Options {
  const flags = { seconds: { type: 'string' }, rounds: { type: 'string' }, connections: { type: 'string' }, apis: { type: 'string' }, 'default-api-limit': { type: 'string' } } as const;
  const { values } = parseArgs({ options: flags });
  const defaultApiLimit = values['default-api-limit'];
  const wanted = values.apis?.split(',') ?? VARIANTS.filter((v) => v.byDefault).map((v) => v.name);
  return {
    seconds: Number(values.seconds ?? '10'), rounds: Number(values.rounds ?? '3'), connections: Number(values.connections ?? '16'),
    ...(defaultApiLimit === undefined ? {} : { defaultApiLimit }),
    variants: VARIANTS.filter((v) => v.name === 'plain' || wanted.includes(v.name)),
  };
}

/** One Api's results over its rounds (merged, and each round for paired figures) and its CPU. */
interface Measured { readonly result: LoadResult; readonly rounds: readonly LoadResult[]; readonly cpu: Cpu }

/** What a call to the Api carries: a fresh SDK-HMAC-SHA256 signature (valid 15 minutes) when it is APP-authenticated. */
const headersOf = (v: Variant): Record<string, string> => (v.signed ? sign({ method: 'GET', url: `http://${HOST}/${v.name}`, headers: {} }, BENCH_APP) : {});

/** Waits until every Api is served and every limit enforced (the debug copy of a limited route reports one). */
async function ready(port: number, o: Options): Promise<void> {
  for (const v of o.variants) {
    const limited = v.throttle.length > 0 || o.defaultApiLimit !== undefined;
    const served = async (): Promise<boolean> => {
      const reply = await call({ port, host: HOST, path: `/${v.name}`, headers: { ...headersOf(v), 'X-Apig-Mode': 'debug' } });
      return reply.status === 200 && (!limited || Object.keys(reply.headers).some((h) => h.startsWith('x-apig-ratelimit-')));
    };
    await waitFor(served, { what: `${v.name} served${limited ? ' and limited' : ''}`, timeoutMs: 60_000 });
  }
}

/** Alternating rounds over the Apis, in turns, paced at `rate` req/s when given; each Api's results and CPU summed over its rounds. */
async function rounds(o: Options, port: number, pids: Parameters<typeof sample>[0], rate?: number): Promise<Map<string, Measured>> {
  const results = new Map<string, LoadResult[]>(o.variants.map((v) => [v.name, []]));
  const used = new Map<string, Cpu>(o.variants.map((v) => [v.name, zero()]));
  const base = { port, host: HOST, connections: o.connections };
  for (let round = 1; round <= o.rounds; round += 1) {
    // Each round starts one Api later, so no Api always runs first or last in its round (with as
    // many rounds as Apis, each runs once in every place).
    const order = o.variants.map((_, i) => o.variants[(i + round - 1) % o.variants.length] as Variant);
    for (const v of order) {
      progress(`round ${round}/${o.rounds}: ${v.name}, ${o.connections} connections, ${o.seconds} s${rate === undefined ? '' : `, paced at ${rate.toFixed(0)} req/s`}`);
      const before = sample(pids);
      const target = { ...base, path: `/${v.name}`, seconds: o.seconds, headers: headersOf(v) };
      results.get(v.name)?.push(await (rate === undefined ? load(target) : pacedLoad({ ...target, rate })));
      add(used.get(v.name) ?? zero(), before, sample(pids));
    }
  }
  return new Map(o.variants.map((v) => [v.name, { result: merge(results.get(v.name) ?? []), rounds: results.get(v.name) ?? [], cpu: used.get(v.name) ?? zero() }]));
}

function pacedRow(label: string, m: Measured, base: Measured): string {
  const { result: r, cpu: c } = m;
  const added = pairedP99Added(m.rounds, base.rounds);
  return `| ${label} | ${(r.requests / r.seconds).toFixed(0)} | ${quantile(r.latencies, 0.5).toFixed(2)} | ${quantile(r.latencies, 0.99).toFixed(2)} | ${added >= 0 ? '+' : ''}${added.toFixed(2)} | ${((c.envoy * 1e6) / Math.max(1, r.requests)).toFixed(0)} | ${non2xx(r)} | ${r.errors} |`;
}

/** The issue's targets against this run's figures. */
function targets(saturated: ReadonlyMap<string, Measured>, paced: ReadonlyMap<string, Measured>): string[] {
  const ratio = (name: string): number | undefined => {
    const r = saturated.get(name)?.result;
    const base = saturated.get('plain')?.result;
    return r === undefined || base === undefined ? undefined : rps(r) / rps(base);
  };
  const added = (name: string): number | undefined => {
    const m = paced.get(name);
    const base = paced.get('plain');
    return m === undefined || base === undefined ? undefined : pairedP99Added(m.rounds, base.rounds);
  };
  const line = (what: string, value: number | undefined, met: (v: number) => boolean, show: (v: number) => string): string[] =>
    value === undefined ? [] : [`- ${what}: ${show(value)} — ${met(value) ? 'met' : '**missed**'}`];
  const percent = (v: number): string => `${(v * 100).toFixed(1)} %`;
  const ms = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(2)} ms`;
  return [
    'Targets (docs/policies.md):',
    ...line('throttle Fast ≥ 90 % of plain', ratio('fast'), (v) => v >= 0.9, percent),
    ...line('policed ≥ 80 % of plain (the same Api with auth NONE and no policy)', ratio('policed'), (v) => v >= 0.8, percent),
    ...['acl', 'fast', 'policed'].flatMap((name) => line(`p99 added at half of plain's rate, ${name} ≤ 1 ms`, added(name), (v) => v <= 1, ms)),
    '',
  ];
}

function report(o: Options, saturated: ReadonlyMap<string, Measured>, paced: ReadonlyMap<string, Measured>, rate: number, loadBefore: readonly number[]): string {
  const plain = saturated.get('plain') ?? { result: merge([]), rounds: [], cpu: zero() };
  const plainPaced = paced.get('plain') ?? plain;
  const of = (m: ReadonlyMap<string, Measured>, v: Variant): Measured => m.get(v.name) ?? plain;
  const cpus = os.cpus();
  const load1 = (l: readonly number[]): string => l.map((x) => x.toFixed(1)).join(' ');
  return [
    `Through Envoy, ${o.connections} keep-alive connections, ${o.rounds} alternating rounds of ${o.seconds} s per Api: \`node bench/dist/policies/main.js ${process.argv.slice(2).join(' ')}\``,
    `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}; load average ${load1(loadBefore)} before the run, ${load1(os.loadavg())} after (the bench's own threads count in it);`,
    'load generator, backend, Envoy, ratelimit and Redis all share these CPUs.',
    ...(o.defaultApiLimit === undefined ? [] : [`Gateway default limit per Api: ${o.defaultApiLimit} (every Api, plain included, is counted on every call).`]),
    '',
    '**Saturated** (closed loop):',
    '',
    '| Api | requests | req/s | vs plain | p50 ms | p99 ms | non-2xx | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...o.variants.map((v) => throughputRow(v.label, of(saturated, v).result, plain.result)),
    '',
    'CPU µs per request, from /proc (10 ms ticks) over the same rounds. "gateway" = Envoy + ratelimit + Redis; "gateway vs plain" is the',
    'throughput ratio a host whose only bottleneck is the gateway would show. "others" is CPU used by processes outside the bench.',
    '',
    '| Api | Envoy | ratelimit | Redis | gateway | gateway vs plain | backend | load generator | control plane | others | host busy (steal) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...o.variants.map((v) => cpuRow(v.label, of(saturated, v).result, of(saturated, v).cpu, plain)),
    '',
    `**Paced** at half of plain's saturated rate (${rate.toFixed(0)} req/s per Api, open loop: vegeta), same rounds:`,
    '',
    '| Api | req/s | p50 ms | p99 ms | p99 added (median over rounds of the same round\'s difference) | Envoy CPU µs/req | non-2xx | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...o.variants.map((v) => (paced.has(v.name) ? pacedRow(v.label, of(paced, v), plainPaced) : `| ${v.label} | not paced: saturated below ${PACED_HEADROOM} × this rate | | | | | | |`)),
    '',
    ...targets(saturated, paced),
  ].join('\n');
}

/** The paced phase runs the variants whose saturated rate is at least this many times the paced rate. */
const PACED_HEADROOM = 1.2;

async function main(): Promise<void> {
  const o = options();
  const loadBefore = os.loadavg();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-bench-policies-'));
  const backend = await startBackend(dir);
  fs.mkdirSync(path.join(dir, 'manifests'));
  fs.writeFileSync(path.join(dir, 'manifests', 'bench.yaml'), manifests(backend.port, o.variants));
  progress(`standalone gateway in ${dir}`);
  const extraArgs = o.defaultApiLimit === undefined ? [] : ['--default-api-limit', o.defaultApiLimit];
  const gateway = await startStandalone({ manifests: path.join(dir, 'manifests'), dir, extraArgs });
  try {
    await ready(gateway.httpPort, o);
    const gatewayPids = children(gateway.proc.pid);
    const pids = { envoy: gatewayPids.get('envoy'), ratelimit: gatewayPids.get('ratelimit'), redis: gatewayPids.get('redis-server'), backend: backend.pid, controlPlane: gateway.proc.pid };
    for (const v of o.variants) await load({ port: gateway.httpPort, host: HOST, connections: o.connections, path: `/${v.name}`, seconds: 2, headers: headersOf(v) });
    const saturated = await rounds(o, gateway.httpPort, pids);
    const plain = saturated.get('plain')?.result;
    const rate = plain === undefined ? 1 : rps(plain) / 2;
    // A variant that cannot carry the paced rate with room to spare (Exact throttling) would only
    // measure its own queue, and its backlog would spill into the next variant's round.
    const carries = (v: Variant): boolean => { const r = saturated.get(v.name)?.result; return r !== undefined && rps(r) >= PACED_HEADROOM * rate; };
    const paced = await rounds({ ...o, variants: o.variants.filter(carries) }, gateway.httpPort, pids, rate);
    process.stdout.write(report(o, saturated, paced, rate, loadBefore));
  } finally {
    await gateway.stop();
    await backend.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
