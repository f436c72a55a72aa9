/**
 * Standalone mode: the same pipeline as in a cluster, fed from YAML files, with Envoy started
 * here and statuses printed instead of written to an API server.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config, type StandaloneConfig } from './config';
import { StateDirCredentials } from './credentials/files';
import { randomCredentials } from './credentials/generate';
import { startEchoServer, type EchoServer } from './demo/echo';
import { findEnvoy, launchEnvoy, type RunningEnvoy } from './envoy/launch';
import { createLogger, type Logger } from './log';
import type { Pipeline } from './pipeline';
import { filesProvider, type FilesProvider } from './provider/files';
import type { ResourceSet } from './resources/resourceset';
import { startRuntime, untilSignalled } from './runtime';
import { startHealthServer } from './health';
import { startLocalRateLimit } from './standalone-ratelimit';
import { suggestedCalls } from './standalone-banner';
import { statusPrinter } from './standalone-status';
import { STANDALONE_SUBDOMAIN_TLS, StandaloneSubdomainTls } from './standalone-tls';
import { assertPortFree, StandaloneProcesses, STOP_GRACE_MS } from './standalone-processes';
import { applyHeapPolicy } from './heap';

export interface StandaloneGateway {
  readonly xdsPort: number;
  readonly envoy?: RunningEnvoy;
  readonly pipeline: Pipeline;
  readonly provider: FilesProvider;
  /** The last set the files provider delivered. */
  readonly resources: () => ResourceSet | undefined;
  /** The port of /healthz, /readyz and /metrics (`--health-port`), when served. */
  readonly healthPort?: number;
  /** The CA that signs the default subdomains' certificate, when standalone issues it. */
  readonly subdomainCa?: string;
  /** Stops everything; SIGKILLs the children still running (e.g. after a bounded stop timed out). */
  stop(): Promise<void>;
  kill(): void;
}

/** Without the authn module (not built yet) APP Apis answer 401 and signing Apis 500, never unchecked or unsigned. */
function withAuthnModule(config: Config, log: Logger): Config {
  const { authnModule, ...gateway } = config.gateway;
  if (authnModule === undefined || fs.existsSync(authnModule)) return config;
  log.warn('the authn module is not installed: APP Apis answer 401 and Apis with a SignatureKey 500 (run `make setup`)', { module: authnModule });
  return { ...config, gateway };
}

interface Stoppable { stop(): Promise<void> }

export async function startStandalone(given: Config, mode: StandaloneConfig, log: Logger): Promise<StandaloneGateway> {
  const processes = new StandaloneProcesses(mode.stateDir, log);
  await processes.claim();
  // What started, newest first: a failure part-way stops it all (never a half-started process).
  const started: Stoppable[] = [];
  const stopAll = async (): Promise<void> => {
    for (const part of started.splice(0)) await part.stop();
    processes.release();
  };
  try {
    return await startParts(given, mode, log, processes, { started, stopAll });
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function startParts(given: Config, mode: StandaloneConfig, log: Logger, processes: StandaloneProcesses, parts: { started: Stoppable[]; stopAll: () => Promise<void> }): Promise<StandaloneGateway> {
  const { started, stopAll } = parts;
  // Generated App and SignatureKey credentials are kept in the state directory across restarts.
  const credentials = new StateDirCredentials(path.resolve(mode.stateDir, 'credentials'), randomCredentials, log.child({ component: 'credentials' }));
  // The default subdomains answer over HTTPS with a certificate of a local CA, unless one is given.
  const tls = given.gateway.subdomainTls === undefined ? new StandaloneSubdomainTls(path.resolve(mode.stateDir), given.gateway.baseDomain, log.child({ component: 'tls' })) : undefined;
  const withTls: Config = tls === undefined ? given : { ...given, gateway: { ...given.gateway, subdomainTls: STANDALONE_SUBDOMAIN_TLS } };
  // Its keys are generated while the rate-limit service and the xDS server start (on failure, later, in the foreground).
  const keys = tls?.prepare().catch((err: unknown) => { log.warn('generating the subdomains\' keys ahead failed', { err }); });
  const limits = await startLocalRateLimit(withAuthnModule(withTls, log), mode, log, (name, child) => { processes.track(name, child); });
  started.unshift(limits);
  const config = limits.config;
  const runtime = await startRuntime(config, log);
  started.unshift(runtime);
  limits.connect(runtime.xdsPort);
  const { pipeline, xdsPort, metrics } = runtime;
  // Standalone writes no status anywhere but is the only control plane: the leader, always.
  metrics.leader.set(1);
  const health = mode.healthPort === undefined ? undefined : await startHealthServer({ host: config.xds.host, port: mode.healthPort, metrics: () => metrics.exposition(), status: () => runtime.report() });
  if (health !== undefined) started.unshift({ stop: () => health.close() });
  pipeline.onStatuses(statusPrinter(log.child({ component: 'status' })));
  for (const port of mode.demoBackendPorts) {
    const backend: EchoServer = await startEchoServer({ port, name: `demo-${port}` });
    started.unshift({ stop: () => backend.close() });
  }
  if (mode.envoy) await assertPortFree(config.gateway.listenAddress, config.gateway.httpPort, '--http-port');
  await keys;
  const provider = filesProvider({ dir: mode.dir, log, exclude: [mode.stateDir] });
  started.unshift(provider);
  let resources: ResourceSet | undefined;
  await provider.start((set) => {
    resources = set;
    const withCredentials = credentials.apply(set);
    pipeline.update(tls === undefined ? withCredentials : tls.apply(withCredentials));
  });
  // Envoy starts once the first snapshot is served: started earlier, it gives up waiting for its
  // initial configuration after 15 s (a cold start at 10,000 Apis on a busy host takes longer),
  // and Envoy 1.36 was seen to crash when the configuration then arrived.
  const { authnModule } = config.gateway;
  const launch = { track: (name: string, child: ChildProcess) => { processes.track(name, child); }, ...(authnModule === undefined ? {} : { authnModule }) };
  const bootstrap = { nodeId: `standalone-${process.pid}`, fleet: config.gateway.fleet, xdsHost: '127.0.0.1', xdsPort };
  const envoy = mode.envoy ? await launchEnvoy(findEnvoy(process.env), bootstrap, path.resolve(mode.stateDir), log, launch) : undefined;
  if (envoy !== undefined) started.unshift(envoy);
  health?.setReady(true);
  return {
    xdsPort,
    ...(health === undefined ? {} : { healthPort: health.port }),
    ...(envoy === undefined ? {} : { envoy }),
    pipeline,
    provider,
    resources: () => resources,
    ...(tls === undefined ? {} : { subdomainCa: tls.caFile }),
    stop: stopAll,
    kill: () => { processes.killAll(); },
  };
}

function banner(config: Config, gateway: StandaloneGateway): string {
  const port = config.gateway.httpPort;
  const resources = gateway.resources();
  const lines = resources === undefined ? [] : suggestedCalls(gateway.pipeline.statuses(), resources, port);
  const problems = [...gateway.provider.problems()].map(([file, message]) => `  ${file}: ${message.split('\n')[0] ?? ''}`);
  return [
    `Turnpike standalone is serving on http://127.0.0.1:${port} (xDS on ${config.xds.host}:${gateway.xdsPort}).`,
    ...(lines.length > 0 ? ['Try (curl resolves *.localhost to 127.0.0.1):', ...lines] : ['No Api can be called without credentials yet: the log shows each object\'s status.']),
    ...(problems.length > 0 ? ['Not loaded (they do not parse; fix them and they are read again):', ...problems] : []),
    ...(gateway.subdomainCa === undefined ? [] : [`Default subdomains also answer HTTPS on port ${config.gateway.httpsPort}: trust ${gateway.subdomainCa} (curl --cacert).`]),
    ...(gateway.healthPort === undefined ? [] : [`Metrics: http://${config.xds.host}:${gateway.healthPort}/metrics; \`turnpike status --server ${config.xds.host}:${gateway.healthPort}\` shows the fleet and every object.`]),
    `Envoy admin: ${gateway.envoy?.admin ?? '(Envoy not started: --no-envoy)'}. Stop with Ctrl-C.`,
    '',
  ].join('\n');
}

/** `turnpike standalone -f DIR [flags]`: runs until SIGINT/SIGTERM or until Envoy dies. */
export async function runStandalone(argv: readonly string[]): Promise<void> {
  applyHeapPolicy();
  const config = loadConfig('standalone', argv, process.env);
  if (config.mode.kind !== 'standalone') throw new Error('unreachable: standalone config expected');
  const log = createLogger({ level: config.logLevel });
  // Listening before the start: Ctrl-C while starting stops what started instead of orphaning it.
  const signalled = untilSignalled();
  const gateway = await startStandalone(config, config.mode, log);
  process.stdout.write(banner(config, gateway));
  const envoyDied = gateway.envoy?.exited.then((code) => new Error(`Envoy exited (code ${String(code)})`));
  const outcome = await Promise.race([signalled, ...(envoyDied === undefined ? [] : [envoyDied])]);
  // Bounded: each child gets SIGTERM then SIGKILL (STOP_GRACE_MS); whatever still hangs after
  // twice that, or a second Ctrl-C, kills every child and ends the process.
  const stopped = gateway.stop().then(() => 'stopped' as const);
  const deadline = new Promise<'deadline'>((resolve) => { setTimeout(() => { resolve('deadline'); }, 2 * STOP_GRACE_MS).unref(); });
  const again = untilSignalled().then(() => 'deadline' as const);
  if ((await Promise.race([stopped, deadline, again])) === 'deadline') {
    gateway.kill();
    log.error('stopping took too long: killed every child process');
    process.exit(1);
  }
  if (outcome instanceof Error) throw outcome;
}
