/**
 * bench/policies: what a ThrottlePolicy and an AclPolicy cost. One standalone gateway (real
 * Envoy, envoyproxy/ratelimit, Redis), one backend, two Apis on it that differ only in their
 * policies: `plain` has none, `policed` has an IP AclPolicy (ALLOW 127.0.0.0/8) and a ThrottlePolicy
 * with api and ip limits too high to be reached (so every call is counted in Redis and passes).
 * Rounds alternate between the two so drift in the machine's load hits both alike. Prints a
 * Markdown table on stdout; progress on stderr.
 *
 *   make bench-policies
 *   node bench/dist/policies/main.js --seconds 10 --rounds 3 --connections 16
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { call, startStandalone, waitFor } from '@turnpike/e2e';
import { startEchoServer } from '@turnpike/operator';
import { children, cpuSeconds } from './cpu';
import { load, merge, quantile, type LoadResult } from './load';

const HOST = 'bench.example.com';

function manifests(backendPort: number): string {
  const api = (name: string): string => `---
apiVersion: turnpike.dev/v1alpha1
kind: Api
metadata: {name: ${name}, namespace: bench}
spec: {groupRef: {name: bench}, method: GET, path: /${name}, backend: {url: {scheme: HTTP, host: "127.0.0.1:${backendPort}", path: /}}}
`;
  return `apiVersion: turnpike.dev/v1alpha1
kind: ApiGroup
metadata: {name: bench, namespace: bench}
spec: {domains: [{hostname: ${HOST}}], defaultSubdomain: {enabled: false}}
${api('plain')}${api('policed')}---
apiVersion: turnpike.dev/v1alpha1
kind: ThrottlePolicy
metadata: {name: policed, namespace: bench}
spec: {targetRefs: [{kind: Api, name: policed}], window: {unit: MINUTE}, limits: {api: 2000000000, ip: 2000000000}}
---
apiVersion: turnpike.dev/v1alpha1
kind: AclPolicy
metadata: {name: policed, namespace: bench}
spec: {targetRefs: [{kind: Api, name: policed}], action: ALLOW, type: IP, ips: [127.0.0.0/8]}
`;
}

const progress = (text: string): void => { process.stderr.write(`[bench/policies] ${text}\n`); };

/** CPU seconds per component. */
type Cpu = Record<'envoy' | 'ratelimit' | 'redis-server', number>;

/** CPU seconds each component used while `run` ran. */
async function measured(pids: ReadonlyMap<string, number>, run: () => Promise<LoadResult>): Promise<{ result: LoadResult; cpu: Cpu }> {
  const now = (): Cpu => ({ envoy: cpu(pids, 'envoy'), ratelimit: cpu(pids, 'ratelimit'), 'redis-server': cpu(pids, 'redis-server') });
  const before = now();
  const result = await run();
  const after = now();
  return { result, cpu: { envoy: after.envoy - before.envoy, ratelimit: after.ratelimit - before.ratelimit, 'redis-server': after['redis-server'] - before['redis-server'] } };
}

function cpu(pids: ReadonlyMap<string, number>, name: string): number {
  const pid = pids.get(name);
  return pid === undefined ? 0 : cpuSeconds(pid);
}

function row(name: string, r: LoadResult, used: Cpu, base?: LoadResult): string {
  const rps = r.requests / r.seconds;
  const ratio = base === undefined ? '100 %' : `${((rps / (base.requests / base.seconds)) * 100).toFixed(1)} %`;
  const non2xx = Object.entries(r.statuses).filter(([s]) => !s.startsWith('2')).reduce((n, [, c]) => n + c, 0);
  const perCall = (seconds: number): string => ((seconds * 1e6) / Math.max(1, r.requests)).toFixed(0);
  return `| ${name} | ${r.requests.toLocaleString('en-US')} | ${rps.toFixed(0)} | ${ratio} | ${quantile(r.latencies, 0.5).toFixed(2)} | ${quantile(r.latencies, 0.99).toFixed(2)} | ${non2xx} | ${r.errors} | ${perCall(used.envoy)} | ${perCall(used.ratelimit)} | ${perCall(used['redis-server'])} |`;
}

function sum(cpus: readonly Cpu[]): Cpu {
  return { envoy: cpus.reduce((n, c) => n + c.envoy, 0), ratelimit: cpus.reduce((n, c) => n + c.ratelimit, 0), 'redis-server': cpus.reduce((n, c) => n + c['redis-server'], 0) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string' }, rounds: { type: 'string' }, connections: { type: 'string' } } });
  const seconds = Number(values.seconds ?? '10');
  const rounds = Number(values.rounds ?? '3');
  const connections = Number(values.connections ?? '16');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-bench-policies-'));
  const backend = await startEchoServer({ name: 'bench' });
  fs.mkdirSync(path.join(dir, 'manifests'));
  fs.writeFileSync(path.join(dir, 'manifests', 'bench.yaml'), manifests(backend.port));
  progress(`standalone gateway in ${dir}`);
  const gateway = await startStandalone({ manifests: path.join(dir, 'manifests'), dir });
  try {
    const port = gateway.httpPort;
    // Served, and the policies enforced: the debug copy of the route reports the api limit.
    await waitFor(async () => (await call({ port, host: HOST, path: '/plain' })).status === 200, { what: 'plain served', timeoutMs: 60_000 });
    await waitFor(async () => (await call({ port, host: HOST, path: '/policed', headers: { 'X-Apig-Mode': 'debug' } })).headers['x-apig-ratelimit-api'] !== undefined,
      { what: 'policed throttled', timeoutMs: 60_000 });
    const pids = children(gateway.proc.pid);
    const results: Record<'plain' | 'policed', LoadResult[]> = { plain: [], policed: [] };
    const used: Record<'plain' | 'policed', Cpu[]> = { plain: [], policed: [] };
    for (const path of ['/plain', '/policed']) await load({ port, host: HOST, path, connections, seconds: 2 });
    for (let round = 1; round <= rounds; round += 1) {
      for (const name of ['plain', 'policed'] as const) {
        progress(`round ${round}/${rounds}: ${name}, ${connections} connections, ${seconds} s`);
        const run = await measured(pids, () => load({ port, host: HOST, path: `/${name}`, connections, seconds }));
        results[name].push(run.result);
        used[name].push(run.cpu);
      }
    }
    const plain = merge(results.plain);
    const policed = merge(results.policed);
    const cpus = os.cpus();
    process.stdout.write([
      `Throughput through Envoy, ${connections} keep-alive connections, ${rounds} alternating rounds of ${seconds} s per Api`,
      `(${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; load generator, Envoy, ratelimit, Redis and backend share the host)`,
      '',
      '| Api | requests | req/s | vs plain | p50 ms | p99 ms | non-2xx | errors | Envoy CPU µs/call | ratelimit CPU µs/call | Redis CPU µs/call |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      row('plain (no policy)', plain, sum(used.plain)),
      row('policed (ThrottlePolicy api+ip, IP AclPolicy)', policed, sum(used.policed), plain),
      '',
    ].join('\n'));
  } finally {
    await gateway.stop();
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
