/**
 * Standalone mode: the same pipeline as in a cluster, fed from YAML files, with Envoy started
 * here and statuses printed instead of written to an API server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config, type StandaloneConfig } from './config';
import { StateDirCredentials } from './credentials/files';
import { randomCredentials } from './credentials/generate';
import { startEchoServer, type EchoServer } from './demo/echo';
import { findEnvoy, launchEnvoy, type RunningEnvoy } from './envoy/launch';
import { createLogger, type Logger } from './log';
import type { Pipeline, ObjectStatus } from './pipeline';
import { filesProvider } from './provider/files';
import { startRuntime, untilSignalled } from './runtime';
import { startLocalRateLimit } from './standalone-ratelimit';
import { applyHeapPolicy } from './heap';

export interface StandaloneGateway {
  readonly xdsPort: number;
  readonly envoy?: RunningEnvoy;
  readonly pipeline: Pipeline;
  stop(): Promise<void>;
}

function describe(status: ObjectStatus): string {
  const c = (name: string, v: ObjectStatus['accepted']): string => `${name}=${v.status}${v.status === 'True' ? '' : ` (${v.reason}: ${v.message})`}`;
  return [c('Accepted', status.accepted), c('ResolvedRefs', status.resolvedRefs), c('Programmed', status.programmed)].join(' ');
}

/** Logs each object's conditions when they change: standalone's `kubectl get`. */
function statusPrinter(log: Logger): (statuses: ReadonlyMap<string, ObjectStatus>) => void {
  const last = new Map<string, string>();
  return (statuses) => {
    for (const [key, status] of statuses) {
      const line = describe(status);
      if (last.get(key) === line) continue;
      last.set(key, line);
      const fields = { object: key, ...status.fields, ...(status.servedGeneration === undefined ? {} : { servedGeneration: status.servedGeneration }) };
      if (status.accepted.status === 'False' || status.resolvedRefs.status === 'False' || status.programmed.status === 'False') log.warn(line, fields);
      else log.info(line, fields);
    }
  };
}

/** Without the authn module (not built yet) APP Apis answer 401 rather than go unauthenticated. */
function withAuthnModule(config: Config, log: Logger): Config {
  const module = config.gateway.authnModule;
  if (module === undefined || fs.existsSync(module)) return config;
  log.warn('the authn module is not installed: APP Apis answer 401 and backend requests are not signed (run `make setup`)', { module });
  const gateway: Config['gateway'] = { ...config.gateway };
  delete (gateway as { authnModule?: string }).authnModule;
  return { ...config, gateway };
}

export async function startStandalone(given: Config, mode: StandaloneConfig, log: Logger): Promise<StandaloneGateway> {
  // Generated App and SignatureKey credentials are kept in the state directory across restarts.
  const credentials = new StateDirCredentials(path.resolve(mode.stateDir, 'credentials'), randomCredentials, log.child({ component: 'credentials' }));
  const limits = await startLocalRateLimit(withAuthnModule(given, log), mode, log);
  const config = limits.config;
  const runtime = await startRuntime(config, log);
  limits.connect(runtime.xdsPort);
  const { pipeline, xdsPort } = runtime;
  pipeline.onStatuses(statusPrinter(log.child({ component: 'status' })));
  const backends: EchoServer[] = [];
  for (const port of mode.demoBackendPorts) backends.push(await startEchoServer({ port, name: `demo-${port}` }));
  const provider = filesProvider({ dir: mode.dir, log });
  await provider.start((set) => { pipeline.update(credentials.apply(set)); });
  const envoy = mode.envoy
    ? await launchEnvoy(findEnvoy(process.env), { nodeId: `standalone-${process.pid}`, fleet: config.gateway.fleet, xdsHost: '127.0.0.1', xdsPort }, path.resolve(mode.stateDir), log)
    : undefined;
  return {
    xdsPort,
    ...(envoy === undefined ? {} : { envoy }),
    pipeline,
    stop: async () => {
      await envoy?.stop();
      await provider.stop();
      await limits.stop();
      await runtime.stop();
      await Promise.all(backends.map((b) => b.close()));
    },
  };
}

function banner(config: Config, gateway: StandaloneGateway): string {
  const subdomains = [...gateway.pipeline.statuses().values()].flatMap((s) => (s.fields.subdomain === undefined ? [] : [s.fields.subdomain]));
  const port = config.gateway.httpPort;
  const lines = subdomains.map((host) => `  curl http://${host}:${port}/hello`);
  return [
    `Turnpike standalone is serving on http://127.0.0.1:${port} (xDS on ${config.xds.host}:${gateway.xdsPort}).`,
    'Try (curl resolves *.localhost to 127.0.0.1):',
    ...lines,
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
  const gateway = await startStandalone(config, config.mode, log);
  process.stdout.write(banner(config, gateway));
  const envoyDied = gateway.envoy?.exited.then((code) => new Error(`Envoy exited (code ${String(code)})`));
  const signalled = untilSignalled();
  const outcome = await Promise.race([signalled, ...(envoyDied === undefined ? [] : [envoyDied])]);
  await gateway.stop();
  if (outcome instanceof Error) throw outcome;
}
