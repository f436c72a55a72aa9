/**
 * bench/authz: what app authentication costs. First authz alone (signature checks per second on
 * one core, checks.ts), then through Envoy: one standalone gateway (real Envoy, authz in-process
 * as standalone runs it), one backend, three Apis on it: `none` (auth NONE), `hop` (auth NONE with a
 * BASIC SignatureKey: every request makes the ext_authz round trip but authz only base64-encodes
 * a header, so it prices the hop itself) and `app` (auth APP: every request SDK-HMAC-SHA256-signed
 * and verified by authz). Rounds
 * alternate so drift in the machine's load hits both alike. The load generator is the repository's
 * closed-loop Node client (bench/policies/load.ts): keep-alive connections, next request when the
 * last answered. Prints Markdown tables on stdout; progress on stderr.
 *
 *   make bench-authz
 *   node bench/dist/authz/main.js --seconds 10 --rounds 3 --connections 16
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sign } from '@turnpike/sdk';
import { call, startStandalone, waitFor } from '@turnpike/e2e';
import { startEchoServer } from '@turnpike/operator';
import { cpuMs } from '../controlplane/procfs';
import { load, merge, quantile, type LoadResult } from '../policies/load';
import { measureChecks } from './checks';

const HOST = 'bench.example.com';
const APP = { key: 'bench-app-key-0001', secret: 'bench-app-secret-0001' };

function manifests(backendPort: number): string {
  const api = (name: string, auth: string, key = ''): string => `---
apiVersion: turnpike.dev/v1alpha1
kind: Api
metadata: {name: ${name}, namespace: bench}
spec: {groupRef: {name: bench}, method: GET, path: /${name}, auth: {type: ${auth}}, backend: {url: {scheme: HTTP, host: "127.0.0.1:${backendPort}", path: /}${key}}}
`;
  return `apiVersion: turnpike.dev/v1alpha1
kind: ApiGroup
metadata: {name: bench, namespace: bench}
spec: {domains: [{hostname: ${HOST}}], defaultSubdomain: {enabled: false}}
${api('none', 'NONE')}${api('hop', 'NONE', ', signatureKeyRef: {name: basic}')}${api('app', 'APP')}---
apiVersion: v1
kind: Secret
metadata: {name: basic-signing, namespace: bench}
stringData: {key: gateway, secret: bench-basic-secret}
---
apiVersion: turnpike.dev/v1alpha1
kind: SignatureKey
metadata: {name: basic, namespace: bench}
spec: {type: BASIC, secretRef: {name: basic-signing}}
---
apiVersion: v1
kind: Secret
metadata: {name: bench-credentials, namespace: bench}
stringData: {appKey: ${APP.key}, appSecret: ${APP.secret}}
---
apiVersion: turnpike.dev/v1alpha1
kind: App
metadata: {name: bench, namespace: bench}
spec: {credentialsSecretRef: {name: bench-credentials}, grants: [{kind: Api, name: app}]}
`;
}

const progress = (text: string): void => { process.stderr.write(`[bench/authz] ${text}\n`); };

/** Headers of a GET signed like Huawei's SDKs sign it; valid for 15 minutes, verified on every request. */
function signedGet(pathname: string): Record<string, string> {
  return sign({ method: 'GET', url: `http://${HOST}${pathname}`, headers: {} }, APP);
}

/** CPU time per request of each process, µs: where a request's work is done. */
interface CpuShare { envoy: number; authz: number; client: number }

/** The Envoy that `turnpike standalone` started (its child process). */
function envoyPid(parent: number): number {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === parent && stat.includes('(envoy)')) return Number(entry);
    } catch {
      // Gone meanwhile.
    }
  }
  throw new Error(`no Envoy child of ${parent}`);
}

function clientCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function row(name: string, r: LoadResult, cpu: CpuShare, base?: LoadResult): string {
  const rps = r.requests / r.seconds;
  const ratio = base === undefined ? '100 %' : `${((rps / (base.requests / base.seconds)) * 100).toFixed(1)} %`;
  const added = base === undefined ? '' : ` (+${(quantile(r.latencies, 0.99) - quantile(base.latencies, 0.99)).toFixed(2)})`;
  const non2xx = Object.entries(r.statuses).filter(([s]) => !s.startsWith('2')).reduce((n, [, c]) => n + c, 0);
  const us = (ms: number): string => ((ms * 1000) / r.requests).toFixed(0);
  return `| ${name} | ${r.requests.toLocaleString('en-US')} | ${rps.toFixed(0)} | ${ratio} | ${quantile(r.latencies, 0.5).toFixed(2)} | ${quantile(r.latencies, 0.99).toFixed(2)}${added} | ${us(cpu.envoy)} | ${us(cpu.authz)} | ${us(cpu.client)} | ${non2xx} | ${r.errors} |`;
}

function checksTable(seconds: number): string {
  const rates = measureChecks(seconds);
  return [
    `authz alone, one core (${os.cpus()[0]?.model.trim() ?? 'CPU'}), ${seconds} s per row, 1,000 Apps configured`,
    '',
    '| work per request | checks/s | µs/check |',
    '|---|---:|---:|',
    ...rates.map((r) => `| ${r.name} | ${r.perSecond.toFixed(0)} | ${(1e6 / r.perSecond).toFixed(1)} |`),
    '',
  ].join('\n');
}

interface Options { readonly seconds: number; readonly rounds: number; readonly connections: number; readonly checkSeconds: number }

async function throughput(options: Options, port: number, pids: { authz: number; envoy: number }): Promise<string> {
  const names = ['none', 'hop', 'app'] as const;
  const headers = { none: {}, hop: {}, app: signedGet('/app') };
  const results: Record<(typeof names)[number], LoadResult[]> = { none: [], hop: [], app: [] };
  const cpu: Record<(typeof names)[number], CpuShare> = { none: { envoy: 0, authz: 0, client: 0 }, hop: { envoy: 0, authz: 0, client: 0 }, app: { envoy: 0, authz: 0, client: 0 } };
  for (const name of names) await load({ port, host: HOST, path: `/${name}`, connections: options.connections, seconds: 2, headers: headers[name] });
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const name of names) {
      progress(`round ${round}/${options.rounds}: ${name}, ${options.connections} connections, ${options.seconds} s`);
      const before = { envoy: cpuMs(pids.envoy), authz: cpuMs(pids.authz), client: clientCpuMs() };
      results[name].push(await load({ port, host: HOST, path: `/${name}`, connections: options.connections, seconds: options.seconds, headers: headers[name] }));
      cpu[name].envoy += cpuMs(pids.envoy) - before.envoy;
      cpu[name].authz += cpuMs(pids.authz) - before.authz;
      cpu[name].client += clientCpuMs() - before.client;
    }
  }
  const none = merge(results.none);
  const cpus = os.cpus();
  return [
    `Through Envoy, ${options.connections} keep-alive connections, ${options.rounds} alternating rounds of ${options.seconds} s per Api`,
    `(${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; load generator, Envoy, authz and backend share the host)`,
    '',
    '| Api | requests | req/s | vs NONE | p50 ms | p99 ms (added) | Envoy CPU µs/req | authz CPU µs/req | client+backend CPU µs/req | non-2xx | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    row('none (auth NONE)', none, cpu.none),
    row('hop (NONE + BASIC signing: the ext_authz round trip alone)', merge(results.hop), cpu.hop, none),
    row('app (auth APP, signed, verified by authz)', merge(results.app), cpu.app, none),
    '',
    'CPU per request from /proc (10 ms ticks): Envoy; the standalone process, where authz runs (its control plane is idle meanwhile); this process (load generator and backend).',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string' }, rounds: { type: 'string' }, connections: { type: 'string' }, 'check-seconds': { type: 'string' } } });
  const options: Options = {
    seconds: Number(values.seconds ?? '10'), rounds: Number(values.rounds ?? '3'), connections: Number(values.connections ?? '16'),
    checkSeconds: Number(values['check-seconds'] ?? '3'),
  };
  progress('signature checks on one core');
  process.stdout.write(`${checksTable(options.checkSeconds)}\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-bench-authz-'));
  const backend = await startEchoServer({ name: 'bench' });
  fs.mkdirSync(path.join(dir, 'manifests'));
  fs.writeFileSync(path.join(dir, 'manifests', 'bench.yaml'), manifests(backend.port));
  progress(`standalone gateway in ${dir}`);
  const gateway = await startStandalone({ manifests: path.join(dir, 'manifests'), dir, extraArgs: ['--no-ratelimit'] });
  try {
    const port = gateway.httpPort;
    await waitFor(async () => (await call({ port, host: HOST, path: '/none' })).status === 200, { what: 'none served', timeoutMs: 60_000 });
    await waitFor(async () => (await call({ port, host: HOST, path: '/app', headers: signedGet('/app') })).status === 200, { what: 'app served and authz ready', timeoutMs: 60_000 });
    await waitFor(async () => (await call({ port, host: HOST, path: '/hop' })).status === 200, { what: 'hop served', timeoutMs: 60_000 });
    process.stdout.write(await throughput(options, port, { authz: gateway.proc.pid, envoy: envoyPid(gateway.proc.pid) }));
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
