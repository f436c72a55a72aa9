/**
 * bench/policies: what a ThrottlePolicy and an AclPolicy cost. One standalone gateway (real
 * Envoy, envoyproxy/ratelimit, Redis, as `turnpike standalone` runs them), one backend in a
 * process of its own, and Apis on it that differ only in their policies: `plain` has none, `acl`
 * an IP AclPolicy (ALLOW 127.0.0.0/8), `throttle` a ThrottlePolicy with api and ip limits too
 * high to be reached (so every call is counted in Redis and passes), `policed` both (and, with
 * --apis, `api`: a ThrottlePolicy with only the api limit, one descriptor per call). Rounds
 * alternate between the Apis so drift in the machine's load hits all alike. Prints Markdown
 * tables on stdout (throughput, then CPU per request of every process from /proc); progress on
 * stderr.
 *
 *   make bench-policies
 *   node bench/dist/policies/main.js --seconds 8 --rounds 3 --connections 16 [--apis plain,policed,api] [--rate 1000]
 *
 * --rate paces the clients to that many requests per second in total, to compare CPU per request
 * of two configurations at the same load; without it they go as fast as the answers come.
 * --default-api-limit N[/unit] runs the gateway with that default limit per Api (set it out of
 * reach): every Api, `plain` included, then asks the rate-limit service on every call.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { call, startStandalone, waitFor } from '@turnpike/e2e';
import { children, cpuSeconds, hostCpu } from './cpu';
import { load, merge, quantile, type LoadResult } from './load';

const HOST = 'bench.example.com';

interface Variant {
  readonly name: string;
  readonly label: string;
  readonly acl: boolean;
  /** The ThrottlePolicy's limits (none: no policy). */
  readonly throttle: readonly ('api' | 'ip')[];
  /** Run without --apis (the others only when named). */
  readonly byDefault: boolean;
}

const VARIANTS: readonly Variant[] = [
  { name: 'plain', label: 'plain (no policy)', acl: false, throttle: [], byDefault: true },
  { name: 'acl', label: 'acl (IP AclPolicy)', acl: true, throttle: [], byDefault: true },
  { name: 'throttle', label: 'throttle (ThrottlePolicy api+ip)', acl: false, throttle: ['api', 'ip'], byDefault: true },
  { name: 'policed', label: 'policed (ThrottlePolicy api+ip, IP AclPolicy)', acl: true, throttle: ['api', 'ip'], byDefault: true },
  // One descriptor per call instead of two: what each counted limit adds.
  { name: 'api', label: 'api (ThrottlePolicy api only)', acl: false, throttle: ['api'], byDefault: false },
];

function manifests(backendPort: number, variants: readonly Variant[]): string {
  const api = (name: string): string => `---
apiVersion: turnpike.dev/v1alpha1
kind: Api
metadata: {name: ${name}, namespace: bench}
spec: {groupRef: {name: bench}, method: GET, path: /${name}, backend: {url: {scheme: HTTP, host: "127.0.0.1:${backendPort}", path: /}}}
`;
  const throttle = (name: string, limits: readonly string[]): string => `---
apiVersion: turnpike.dev/v1alpha1
kind: ThrottlePolicy
metadata: {name: ${name}, namespace: bench}
spec: {targetRefs: [{kind: Api, name: ${name}}], window: {unit: MINUTE}, limits: {${limits.map((l) => `${l}: 2000000000`).join(', ')}}}
`;
  const acl = (name: string): string => `---
apiVersion: turnpike.dev/v1alpha1
kind: AclPolicy
metadata: {name: ${name}, namespace: bench}
spec: {targetRefs: [{kind: Api, name: ${name}}], action: ALLOW, type: IP, ips: [127.0.0.0/8]}
`;
  return `apiVersion: turnpike.dev/v1alpha1
kind: ApiGroup
metadata: {name: bench, namespace: bench}
spec: {domains: [{hostname: ${HOST}}], defaultSubdomain: {enabled: false}}
${variants.map((v) => `${api(v.name)}${v.throttle.length > 0 ? throttle(v.name, v.throttle) : ''}${v.acl ? acl(v.name) : ''}`).join('')}`;
}

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

/** Starts the backend in a process of its own; resolves with its port. */
function startBackend(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(path.join(__dirname, 'backend.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) => { resolve({ child, port: message.port }); });
    child.once('exit', (code) => { reject(new Error(`backend exited (${code ?? '?'})`)); });
  });
}

interface Options {
  readonly seconds: number;
  readonly rounds: number;
  readonly connections: number;
  readonly rate?: number;
  /** The gateway's --default-api-limit, if any. */
  readonly defaultApiLimit?: string;
  readonly variants: readonly Variant[];
}

function options(): Options {
  const flags = { seconds: { type: 'string' }, rounds: { type: 'string' }, connections: { type: 'string' }, apis: { type: 'string' }, rate: { type: 'string' }, 'default-api-limit': { type: 'string' } } as const;
  const { values } = parseArgs({ options: flags });
  const defaultApiLimit = values['default-api-limit'];
  const wanted = values.apis?.split(',') ?? VARIANTS.filter((v) => v.byDefault).map((v) => v.name);
  return {
    seconds: Number(values.seconds ?? '10'), rounds: Number(values.rounds ?? '3'), connections: Number(values.connections ?? '16'),
    ...(values.rate === undefined ? {} : { rate: Number(values.rate) }),
    ...(defaultApiLimit === undefined ? {} : { defaultApiLimit }),
    variants: VARIANTS.filter((v) => v.name === 'plain' || wanted.includes(v.name)),
  };
}

interface Measured { readonly result: LoadResult; readonly cpu: Cpu }

/**
 * Waits until every Api is served and every limit enforced (the debug copy of a limited route
 * reports its limits).
 */
async function ready(port: number, o: Options): Promise<void> {
  await waitFor(async () => (await call({ port, host: HOST, path: '/plain' })).status === 200, { what: 'plain served', timeoutMs: 60_000 });
  const limited = o.variants.filter((x) => x.throttle.length > 0 || o.defaultApiLimit !== undefined);
  for (const v of limited) {
    const header = v.throttle.length > 0 ? 'x-apig-ratelimit-api' : 'x-apig-ratelimit-api-allenv';
    await waitFor(async () => (await call({ port, host: HOST, path: `/${v.name}`, headers: { 'X-Apig-Mode': 'debug' } })).headers[header] !== undefined,
      { what: `${v.name} limited`, timeoutMs: 60_000 });
  }
}

/** Alternating rounds over the Apis; each Api's results and CPU summed over its rounds. */
async function rounds(o: Options, port: number, pids: Parameters<typeof sample>[0]): Promise<Map<string, Measured>> {
  const results = new Map<string, LoadResult[]>(o.variants.map((v) => [v.name, []]));
  const used = new Map<string, Cpu>(o.variants.map((v) => [v.name, zero()]));
  const base = { port, host: HOST, connections: o.connections };
  for (const v of o.variants) await load({ ...base, path: `/${v.name}`, seconds: 2 });
  for (let round = 1; round <= o.rounds; round += 1) {
    for (const v of o.variants) {
      progress(`round ${round}/${o.rounds}: ${v.name}, ${o.connections} connections, ${o.seconds} s`);
      const before = sample(pids);
      results.get(v.name)?.push(await load({ ...base, path: `/${v.name}`, seconds: o.seconds, ...(o.rate === undefined ? {} : { rate: o.rate }) }));
      add(used.get(v.name) ?? zero(), before, sample(pids));
    }
  }
  return new Map(o.variants.map((v) => [v.name, { result: merge(results.get(v.name) ?? []), cpu: used.get(v.name) ?? zero() }]));
}

function report(o: Options, measured: ReadonlyMap<string, Measured>, loadBefore: readonly number[]): string {
  const plain = measured.get('plain') ?? { result: merge([]), cpu: zero() };
  const of = (v: Variant): Measured => measured.get(v.name) ?? plain;
  const cpus = os.cpus();
  const load1 = (l: readonly number[]): string => l.map((x) => x.toFixed(1)).join(' ');
  return [
    `Through Envoy, ${o.connections} keep-alive connections${o.rate === undefined ? '' : ` paced at ${o.rate} req/s`}, ${o.rounds} alternating rounds of ${o.seconds} s per Api: \`node bench/dist/policies/main.js ${process.argv.slice(2).join(' ')}\``,
    `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}; load average ${load1(loadBefore)} before the run, ${load1(os.loadavg())} after (the bench's own threads count in it);`,
    'load generator, backend, Envoy, ratelimit and Redis all share these CPUs.',
    ...(o.defaultApiLimit === undefined ? [] : [`Gateway default limit per Api: ${o.defaultApiLimit} (every Api, plain included, is counted on every call).`]),
    '',
    '| Api | requests | req/s | vs plain | p50 ms | p99 ms | non-2xx | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...o.variants.map((v) => throughputRow(v.label, of(v).result, plain.result)),
    '',
    'CPU µs per request, from /proc (10 ms ticks) over the same rounds. "gateway" = Envoy + ratelimit + Redis; "gateway vs plain" is the',
    'throughput ratio a host whose only bottleneck is the gateway would show. "others" is CPU used by processes outside the bench.',
    '',
    '| Api | Envoy | ratelimit | Redis | gateway | gateway vs plain | backend | load generator | control plane | others | host busy (steal) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...o.variants.map((v) => cpuRow(v.label, of(v).result, of(v).cpu, plain)),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const o = options();
  const loadBefore = os.loadavg();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-bench-policies-'));
  const backend = await startBackend();
  fs.mkdirSync(path.join(dir, 'manifests'));
  fs.writeFileSync(path.join(dir, 'manifests', 'bench.yaml'), manifests(backend.port, o.variants));
  progress(`standalone gateway in ${dir}`);
  const extraArgs = o.defaultApiLimit === undefined ? [] : ['--default-api-limit', o.defaultApiLimit];
  const gateway = await startStandalone({ manifests: path.join(dir, 'manifests'), dir, extraArgs });
  try {
    await ready(gateway.httpPort, o);
    const gatewayPids = children(gateway.proc.pid);
    const pids = { envoy: gatewayPids.get('envoy'), ratelimit: gatewayPids.get('ratelimit'), redis: gatewayPids.get('redis-server'), backend: backend.child.pid, controlPlane: gateway.proc.pid };
    process.stdout.write(report(o, await rounds(o, gateway.httpPort, pids), loadBefore));
  } finally {
    await gateway.stop();
    backend.child.disconnect();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
