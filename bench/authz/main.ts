/**
 * bench/authz: what app authentication costs now that it runs inside Envoy (the turnpike.authn
 * native module). One standalone gateway (real Envoy), one backend (an Envoy answering directly:
 * ../common/backend.ts), three Apis on it: `none` (auth
 * NONE: the filter is off on its route), `basic` (auth NONE with a BASIC SignatureKey: the filter
 * runs and only sets a header, so it prices the filter's plumbing) and `app` (auth APP: every
 * request SDK-HMAC-SHA256-signed and verified by the filter). Two phases, each in alternating rounds
 * so drift in the machine's load hits every Api alike: saturated (closed loop, as fast as the host
 * allows: throughput and CPU per request) and paced at half of `none`'s saturated rate (p99 added
 * at a load the gateway carries). The saturated load is the repository's Node client
 * (bench/policies/load.ts), the paced one vegeta (bench/policies/paced.ts, `make setup-bench`). Prints Markdown tables on stdout; progress on stderr.
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
import { startBackend } from '../common/backend';
import { cpuMs } from '../controlplane/procfs';
import { load, merge, pairedP99Added, quantile, type LoadResult } from '../policies/load';
import { pacedLoad } from '../policies/paced';

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
${api('none', 'NONE')}${api('basic', 'NONE', ', signatureKeyRef: {name: basic}')}${api('app', 'APP')}---
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

/** CPU time per request of each process, µs: where a request's work is done (client: this process and the backend). */
interface CpuShare { envoy: number; client: number }

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

function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** The processes whose CPU a request costs. */
interface Pids { readonly envoy: number; readonly backend: number }

const clientCpuMs = (pids: Pids): number => ownCpuMs() + cpuMs(pids.backend);

/** One Api's rounds, merged, and its CPU. */
interface Measured { readonly rounds: readonly LoadResult[]; readonly merged: LoadResult; readonly cpu: CpuShare }

function row(name: string, m: Measured, base?: Measured): string {
  const { merged: r, cpu } = m;
  const rps = r.requests / r.seconds;
  const ratio = base === undefined ? '100 %' : `${((rps / (base.merged.requests / base.merged.seconds)) * 100).toFixed(1)} %`;
  const paired = base === undefined ? Number.NaN : pairedP99Added(m.rounds, base.rounds);
  const added = base === undefined ? '' : ` (${paired >= 0 ? '+' : ''}${paired.toFixed(2)})`;
  const non2xx = Object.entries(r.statuses).filter(([s]) => !s.startsWith('2')).reduce((n, [, c]) => n + c, 0);
  const us = (ms: number): string => ((ms * 1000) / r.requests).toFixed(0);
  return `| ${name} | ${r.requests.toLocaleString('en-US')} | ${rps.toFixed(0)} | ${ratio} | ${quantile(r.latencies, 0.5).toFixed(2)} | ${quantile(r.latencies, 0.99).toFixed(2)}${added} | ${us(cpu.envoy)} | ${us(cpu.client)} | ${non2xx} | ${r.errors} |`;
}

interface Options { readonly seconds: number; readonly rounds: number; readonly connections: number }

const NAMES = ['none', 'basic', 'app'] as const;
type Name = (typeof NAMES)[number];
const LABELS: Readonly<Record<Name, string>> = {
  none: 'none (auth NONE, filter off)',
  basic: 'basic (NONE + BASIC signing: the filter\'s plumbing)',
  app: 'app (auth APP, signed, verified in Envoy)',
};

/** What a call to the Api needs: a signature for `app`, nothing for the others. */
const headersOf = (name: Name): Record<string, string> => (name === 'app' ? signedGet('/app') : {});

/** Alternating rounds over the three Apis; `rate` paces the clients (requests per second in total). */
async function phase(options: Options, port: number, pids: Pids, rate?: number): Promise<Record<Name, Measured>> {
  const results: Record<Name, LoadResult[]> = { none: [], basic: [], app: [] };
  const cpu: Record<Name, CpuShare> = { none: { envoy: 0, client: 0 }, basic: { envoy: 0, client: 0 }, app: { envoy: 0, client: 0 } };
  for (let round = 1; round <= options.rounds; round += 1) {
    for (const name of NAMES) {
      progress(`round ${round}/${options.rounds}: ${name}, ${options.connections} connections, ${options.seconds} s${rate === undefined ? '' : `, paced at ${rate.toFixed(0)} req/s`}`);
      const before = { envoy: cpuMs(pids.envoy), client: clientCpuMs(pids) };
      const target = { port, host: HOST, path: `/${name}`, connections: options.connections, seconds: options.seconds, headers: headersOf(name) };
      results[name].push(await (rate === undefined ? load(target) : pacedLoad({ ...target, rate })));
      cpu[name].envoy += cpuMs(pids.envoy) - before.envoy;
      cpu[name].client += clientCpuMs(pids) - before.client;
    }
  }
  const measured = (name: Name): Measured => ({ rounds: results[name], merged: merge(results[name]), cpu: cpu[name] });
  return { none: measured('none'), basic: measured('basic'), app: measured('app') };
}

function table(title: string, run: Awaited<ReturnType<typeof phase>>): string {
  return [
    title,
    '',
    '| Api | requests | req/s | vs NONE | p50 ms | p99 ms (added, paired by round) | Envoy CPU µs/req | client+backend CPU µs/req | non-2xx | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    row(LABELS.none, run.none),
    row(LABELS.basic, run.basic, run.none),
    row(LABELS.app, run.app, run.none),
    '',
  ].join('\n');
}

async function throughput(options: Options, port: number, pids: Pids): Promise<string> {
  for (const name of NAMES) await load({ port, host: HOST, path: `/${name}`, connections: options.connections, seconds: 2, headers: headersOf(name) });
  const cpus = os.cpus();
  const host = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}`;
  const saturated = await phase(options, port, pids);
  const half = (saturated.none.merged.requests / saturated.none.merged.seconds) / 2;
  const paced = await phase(options, port, pids, half);
  return [
    table(`Saturated: ${options.connections} keep-alive connections, ${options.rounds} alternating rounds of ${options.seconds} s per Api (${host}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; load generator, Envoy and backend share the host)`, saturated),
    table(`Paced at half of none's saturated rate (${half.toFixed(0)} req/s per Api, open loop: vegeta), same rounds`, paced),
    'p99 added: the median over rounds of the p99 difference to none in the same round. CPU per request from /proc (10 ms ticks): Envoy;',
    'the backend and this process (saturated: the load generator; paced: idle, vegeta runs apart).',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string' }, rounds: { type: 'string' }, connections: { type: 'string' } } });
  const options: Options = { seconds: Number(values.seconds ?? '10'), rounds: Number(values.rounds ?? '3'), connections: Number(values.connections ?? '16') };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-bench-authz-'));
  const backend = await startBackend(dir);
  fs.mkdirSync(path.join(dir, 'manifests'));
  fs.writeFileSync(path.join(dir, 'manifests', 'bench.yaml'), manifests(backend.port));
  progress(`standalone gateway in ${dir}`);
  const gateway = await startStandalone({ manifests: path.join(dir, 'manifests'), dir, extraArgs: ['--no-ratelimit'] });
  try {
    const port = gateway.httpPort;
    for (const name of NAMES) {
      const headers = headersOf(name);
      await waitFor(async () => (await call({ port, host: HOST, path: `/${name}`, headers })).status === 200, { what: `${name} served`, timeoutMs: 60_000 });
    }
    process.stdout.write(await throughput(options, port, { envoy: envoyPid(gateway.proc.pid), backend: backend.pid }));
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
