/**
 * `make cluster-up` / `make cluster-down`: a whole local gateway for people, the kubectl way, made
 * of local processes (no Docker): etcd + kube-apiserver with the CRDs, the operator running as its
 * least-privilege ServiceAccount (operator/rbac, a token minted with TokenRequest, leader election
 * on), an Envoy connected to it (`turnpike envoy`, authn module from the component cache),
 * envoyproxy/ratelimit with Redis, and the examples' two demo backends. The processes outlive this
 * command; `<state>/cluster.json` records each one's pid, start time and command so `down` stops
 * exactly those (SIGTERM to its process group, SIGKILL after a grace period).
 *
 * Overrides (environment): TURNPIKE_STATE_DIR (default .turnpike), TURNPIKE_HTTP_PORT (8080),
 * TURNPIKE_HTTPS_PORT (8443), TURNPIKE_XDS_PORT (18000), TURNPIKE_HEALTH_PORT (a free port),
 * TURNPIKE_DEMO_BACKENDS (18080,18081; empty for none).
 */
import fs from 'node:fs';
import path from 'node:path';
import { rateLimitFleet } from '@turnpike/xds-server';
import { cacheDir, authnModule, binary } from '../harness/bins';
import { installCrds, repoRoot } from '../harness/cluster';
import { startControlPlane } from '../harness/controlplane';
import { kubectlOk } from '../harness/kubectl';
import { freePort, isListening } from '../harness/ports';
import { startProcess, tail, type Proc } from '../harness/procs';
import { waitFor } from '../harness/wait';

const env = process.env;
const stateDir = path.resolve(env.TURNPIKE_STATE_DIR ?? path.join(repoRoot, '.turnpike'));
const clusterDir = path.join(stateDir, 'cluster');
const logDir = path.join(clusterDir, 'logs');
const stateFile = path.join(stateDir, 'cluster.json');
const kubeconfig = path.join(stateDir, 'kubeconfig');
const operatorKubeconfig = path.join(clusterDir, 'operator.kubeconfig');
const cli = path.join(repoRoot, 'operator', 'dist', 'cli.js');
const FLEET = 'turnpike';
const NAMESPACE = 'turnpike-system';
const SERVICE_ACCOUNT = 'turnpike-operator';

interface Recorded {
  readonly name: string;
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat: tells a recycled pid apart. */
  readonly startTime: string;
  /** A string /proc/<pid>/cmdline must contain (the binary, or cli.js and the sub-command). */
  readonly marker: string;
}

interface State {
  readonly server: string;
  readonly url?: string;
  readonly procs: readonly Recorded[];
}

function port(variable: string, fallback: number): number {
  const value = env[variable];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${variable}=${value} is not a port number`);
  return n;
}

function startTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** True when `pid` is still the process we started (same start time, expected command line). */
function ours(p: Recorded): boolean {
  return startTime(p.pid) === p.startTime && cmdline(p.pid).includes(p.marker);
}

/** The fields after the command name in /proc/<pid>/stat (state is [0], pgrp [2], starttime [19]). */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * The live (not zombie) processes of the process group `pgid`: each detached process we start
 * leads one, so Envoy under `turnpike envoy` is found too. Zombies wait for init to reap them and
 * are not counted.
 */
function groupMembers(pgid: number): number[] {
  return fs.readdirSync('/proc').filter((d) => /^[0-9]+$/.test(d)).flatMap((d) => {
    const fields = statFields(d);
    return fields !== undefined && fields[2] === String(pgid) && fields[0] !== 'Z' ? [Number(d)] : [];
  });
}

function groupAlive(pgid: number): boolean {
  return groupMembers(pgid).length > 0;
}

function readState(): State | undefined {
  if (!fs.existsSync(stateFile)) return undefined;
  const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as Partial<State> & { pids?: number[] };
  // The earlier cluster-up recorded bare pids of etcd and kube-apiserver only.
  const legacy = (state.pids ?? []).map((pid): Recorded => {
    const marker = cmdline(pid).includes('kube-apiserver') ? 'kube-apiserver' : 'etcd';
    return { name: marker, pid, startTime: startTime(pid) ?? '', marker };
  });
  return { server: state.server ?? '', ...(state.url === undefined ? {} : { url: state.url }), procs: [...legacy, ...(state.procs ?? [])] };
}

const recorded: Recorded[] = [];
let server = '';

function record(proc: Proc, marker: string): void {
  const time = startTime(proc.pid);
  if (time === undefined) throw new Error(`${proc.name} exited at once:\n${tail(proc.logFile, 20)}`);
  recorded.push({ name: proc.name, pid: proc.pid, startTime: time, marker });
  fs.writeFileSync(stateFile, JSON.stringify({ server, procs: recorded } satisfies State, null, 2));
}

function start(name: string, command: string, args: readonly string[], marker: string, extraEnv: Record<string, string> = {}): Proc {
  const proc = startProcess({ name, command, args, logDir, env: extraEnv, detached: true, cwd: repoRoot });
  record(proc, marker);
  return proc;
}

async function running(proc: Proc, what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  await waitFor(async () => {
    if (!proc.isRunning()) throw new Error(`${proc.name} exited:\n${tail(proc.logFile, 20)}`);
    return probe();
  }, { what: `${what} (log: ${proc.logFile})`, timeoutMs, intervalMs: 100 });
}

async function httpOk(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

function writeTokenKubeconfig(file: string, apiServer: string, caFile: string, token: string): void {
  const lines = [
    'apiVersion: v1', 'kind: Config',
    'clusters:', '- name: turnpike', `  cluster: {server: "${apiServer}", certificate-authority: "${caFile}"}`,
    'users:', `- name: ${SERVICE_ACCOUNT}`, `  user: {token: "${token}"}`,
    'contexts:', '- name: operator', `  context: {cluster: turnpike, user: ${SERVICE_ACCOUNT}, namespace: ${NAMESPACE}}`,
    'current-context: operator', '',
  ];
  fs.writeFileSync(file, lines.join('\n'), { mode: 0o600 });
}

/** Installs operator/rbac into turnpike-system and returns a token of its ServiceAccount. */
async function operatorIdentity(): Promise<string> {
  const ns = `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"${NAMESPACE}"}}`;
  await kubectlOk(kubeconfig, ['apply', '-f', '-'], ns);
  await kubectlOk(kubeconfig, ['apply', '-k', path.join(repoRoot, 'operator', 'rbac')]);
  const token = await kubectlOk(kubeconfig, ['-n', NAMESPACE, 'create', 'token', SERVICE_ACCOUNT, '--duration=720h']);
  return token.trim();
}

async function up(): Promise<void> {
  const existing = readState();
  if (existing !== undefined && existing.procs.length > 0 && existing.procs.every(ours)) {
    process.stdout.write(`already running (make cluster-down stops it)\n  export KUBECONFIG=${kubeconfig}\n`);
    if (existing.url !== undefined) process.stdout.write(`  curl ${existing.url}\n`);
    return;
  }
  await down();
  const httpPort = port('TURNPIKE_HTTP_PORT', 8080);
  const httpsPort = port('TURNPIKE_HTTPS_PORT', 8443);
  const xdsPort = port('TURNPIKE_XDS_PORT', 18000);
  const healthPort = port('TURNPIKE_HEALTH_PORT', await freePort());
  const demoPorts = (env.TURNPIKE_DEMO_BACKENDS ?? '18080,18081').split(',').filter((p) => p.trim() !== '').map((p) => {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`TURNPIKE_DEMO_BACKENDS: ${p} is not a port number`);
    return n;
  });
  for (const [what, p] of [['TURNPIKE_HTTP_PORT', httpPort], ['TURNPIKE_HTTPS_PORT', httpsPort], ['TURNPIKE_XDS_PORT', xdsPort], ...demoPorts.map((d) => ['TURNPIKE_DEMO_BACKENDS', d] as const)] as const) {
    if (await isListening(p)) throw new Error(`port ${p} (${what}) is in use: stop what listens there or set ${what}`);
  }
  for (const file of [cli, path.join(repoRoot, 'xds-server', 'dist', 'index.js')]) {
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`make build\``);
  }
  const module = authnModule();
  fs.mkdirSync(stateDir, { recursive: true });

  // etcd + kube-apiserver, with the CRDs.
  const plane = await startControlPlane({ dir: clusterDir, detached: true });
  server = plane.server;
  const [etcd, apiserver] = plane.procs;
  if (etcd === undefined || apiserver === undefined) throw new Error('unreachable: the control plane has two processes');
  record(etcd, 'etcd');
  record(apiserver, 'kube-apiserver');
  fs.copyFileSync(plane.kubeconfigPath, kubeconfig);
  await installCrds(kubeconfig);

  // The operator's identity: exactly operator/rbac, through a ServiceAccount token.
  writeTokenKubeconfig(operatorKubeconfig, plane.server, plane.pki.caCert, await operatorIdentity());

  // Redis and envoyproxy/ratelimit (configured over ADS by the operator, fleet turnpike:ratelimit).
  const [redisPort, rlGrpc, rlHttp, rlDebug] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const redis = start('redis', binary('redis-server'), ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', clusterDir], 'redis-server');
  await running(redis, `redis on ${redisPort}`, () => isListening(redisPort));
  const ratelimit = start('ratelimit', binary('ratelimit'), [], 'ratelimit', {
    USE_STATSD: 'false', DISABLE_STATS: 'true', LOG_LEVEL: 'warn', LOG_FORMAT: 'json',
    HOST: '127.0.0.1', PORT: String(rlHttp), GRPC_HOST: '127.0.0.1', GRPC_PORT: String(rlGrpc),
    DEBUG_HOST: '127.0.0.1', DEBUG_PORT: String(rlDebug),
    BACKEND_TYPE: 'redis', REDIS_SOCKET_TYPE: 'tcp', REDIS_TYPE: 'SINGLE', REDIS_URL: `127.0.0.1:${redisPort}`,
    STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT: 'true', GOGC: '400',
    CONFIG_TYPE: 'GRPC_XDS_SOTW', CONFIG_GRPC_XDS_SERVER_URL: `127.0.0.1:${xdsPort}`,
    CONFIG_GRPC_XDS_NODE_ID: 'cluster-up-ratelimit', CONFIG_GRPC_XDS_NODE_METADATA: `fleet=${rateLimitFleet(FLEET)}`,
    XDS_CLIENT_BACKOFF_INITIAL_INTERVAL: '200ms', XDS_CLIENT_BACKOFF_MAX_INTERVAL: '2s',
  });

  // The examples' demo backends (RELEASE and DEV).
  for (const p of demoPorts) {
    const demo = start(`demo-backend-${p}`, process.execPath, [cli, 'demo-backend', '--port', String(p), '--name', `demo-${p}`], `demo-backend --port ${p}`);
    await running(demo, `demo backend on ${p}`, () => isListening(p));
  }

  // The operator, as its ServiceAccount, with leader election in turnpike-system.
  const operator = start('operator', process.execPath, [
    cli, 'operator', '--kubeconfig', operatorKubeconfig, '--lease-namespace', NAMESPACE, '--identity', 'cluster-up-operator-0',
    '--fleet', FLEET, '--xds-host', '127.0.0.1', '--xds-port', String(xdsPort), '--health-port', String(healthPort),
    '--http-port', String(httpPort), '--https-port', String(httpsPort), '--listen-address', '127.0.0.1',
    '--authn-module', module, '--ratelimit-address', `127.0.0.1:${rlGrpc}`,
  ], 'cli.js operator');
  await running(operator, `the operator's /readyz on ${healthPort}`, () => httpOk(`http://127.0.0.1:${healthPort}/readyz`));

  // One Envoy of the fleet, started the way a user adds one by hand.
  const envoyDir = path.join(clusterDir, 'envoy');
  const envoy = start('envoy', process.execPath, [cli, 'envoy', '--xds', `127.0.0.1:${xdsPort}`, '--fleet', FLEET, '--node-id', 'cluster-up-envoy-0', '--state-dir', envoyDir], 'cli.js envoy');
  const adminFile = path.join(envoyDir, 'envoy-admin.addr');
  await running(envoy, 'Envoy to be LIVE', async () => fs.existsSync(adminFile) && httpOk(`http://${fs.readFileSync(adminFile, 'utf8').trim()}/ready`));
  await running(ratelimit, `ratelimit gRPC on ${rlGrpc}`, () => isListening(rlGrpc));

  const url = `http://demo.default.apigw.localhost:${httpPort}/hello`;
  fs.writeFileSync(stateFile, JSON.stringify({ server, url, procs: recorded } satisfies State, null, 2));
  process.stdout.write([
    `Turnpike is up: kube-apiserver ${plane.server} with the CRDs, the operator as ServiceAccount ${NAMESPACE}/${SERVICE_ACCOUNT}, Envoy on 127.0.0.1:${httpPort}, ratelimit + Redis.`,
    `  export KUBECONFIG=${kubeconfig}`,
    '  kubectl apply -f examples/',
    `  curl ${url}`,
    `kubectl is in ${path.join(cacheDir, 'bin')}. Logs: ${logDir}. Stop everything with: make cluster-down`,
    '',
  ].join('\n'));
}

async function down(keepLogs = false): Promise<void> {
  const state = readState();
  // Last started first: Envoy, the operator, ..., kube-apiserver, etcd.
  const stopped: string[] = [];
  for (const p of [...(state?.procs ?? [])].reverse()) {
    if (!ours(p)) continue;
    try {
      process.kill(-p.pid, 'SIGTERM');
    } catch {
      continue;
    }
    stopped.unshift(p.name);
    try {
      await waitFor(() => !groupAlive(p.pid), { what: `${p.name} (pid ${p.pid}) to exit`, timeoutMs: 10_000, intervalMs: 50 });
    } catch {
      try {
        process.kill(-p.pid, 'SIGKILL');
        await waitFor(() => !groupAlive(p.pid), { what: `${p.name} (pid ${p.pid}) to exit after SIGKILL`, timeoutMs: 5_000, intervalMs: 50 });
      } catch (err) {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  }
  fs.rmSync(stateFile, { force: true });
  fs.rmSync(kubeconfig, { force: true });
  if (!keepLogs) fs.rmSync(clusterDir, { recursive: true, force: true });
  if (state !== undefined) process.stdout.write(stopped.length === 0 ? 'nothing was running\n' : `stopped ${stopped.length} processes (${stopped.join(', ')})\n`);
}

const command = process.argv[2];
if (command === 'up') {
  up().catch(async (err: unknown) => {
    process.stderr.write(`cluster up: ${err instanceof Error ? err.message : String(err)}\n(stopping what was started; the logs stay in ${logDir})\n`);
    await down(true).catch(() => undefined);
    process.exit(1);
  });
} else if (command === 'down') {
  down().catch((err: unknown) => {
    process.stderr.write(`cluster down: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
} else {
  process.stderr.write('usage: cluster.js up|down\n');
  process.exit(2);
}
