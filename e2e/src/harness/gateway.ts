import path from 'node:path';
import { LAUNCH_ENV, NODE_FLAGS } from '@turnpike/operator';
import { envoyBootstrap } from '@turnpike/xds-server';
import { authnModule } from './bins';
import { repoRoot } from './cluster';
import { startEnvoy, type Envoy } from './envoy';
import { freePort, isListening } from './ports';
import { startProcess, tail, type Proc } from './procs';
import { waitFor } from './wait';

/** The compiled CLI (`tsc -b` runs before the tests, as part of `npm test`). */
export const turnpikeCli = path.join(repoRoot, 'operator', 'dist', 'cli.js');

/** A `turnpike operator` or `turnpike standalone` process with its listeners' ports. */
export interface TurnpikeProcess {
  readonly proc: Proc;
  readonly xdsPort: number;
  readonly httpPort: number;
  readonly httpsPort: number;
  stop(): Promise<void>;
}

export interface OperatorOptions {
  readonly kubeconfigPath: string;
  readonly dir: string;
  readonly name?: string;
  readonly fleet?: string;
  readonly leaseNamespace?: string;
  /** Fixed ports, e.g. to restart an operator where the previous one was. */
  readonly ports?: Partial<Ports>;
  readonly extraArgs?: readonly string[];
}

export interface Ports { readonly xds: number; readonly http: number; readonly https: number }

async function freePorts(fixed: Partial<Ports> = {}): Promise<Ports> {
  return { xds: fixed.xds ?? (await freePort()), http: fixed.http ?? (await freePort()), https: fixed.https ?? (await freePort()) };
}

async function startCli(name: string, args: readonly string[], dir: string, ports: Ports, options: { cwd?: string; env?: Readonly<Record<string, string>> } = {}): Promise<TurnpikeProcess> {
  const proc = startProcess({
    name, command: process.execPath, args: [...NODE_FLAGS, turnpikeCli, ...args], logDir: dir, env: { TURNPIKE_LOG_LEVEL: 'debug', ...LAUNCH_ENV, ...options.env },
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  await waitFor(async () => {
    if (!proc.isRunning()) throw new Error(`${name} exited:\n${tail(proc.logFile, 30)}`);
    return isListening(ports.xds);
  }, { what: `${name} xDS on ${ports.xds} (log: ${proc.logFile})`, timeoutMs: 30_000 });
  return { proc, xdsPort: ports.xds, httpPort: ports.http, httpsPort: ports.https, stop: () => proc.stop() };
}

/** Runs `turnpike operator` against a test cluster; Envoys connect to its xdsPort. */
export async function startOperator(options: OperatorOptions): Promise<TurnpikeProcess> {
  const ports = await freePorts(options.ports);
  const args = [
    'operator', '--kubeconfig', options.kubeconfigPath, '--xds-host', '127.0.0.1', '--xds-port', String(ports.xds),
    '--http-port', String(ports.http), '--https-port', String(ports.https), '--https-public-port', String(ports.https),
    '--listen-address', '127.0.0.1', '--fleet', options.fleet ?? 'turnpike', '--lease-namespace', options.leaseNamespace ?? 'default',
    '--identity', options.name ?? 'operator', '--authn-module', authnModule(), ...(options.extraArgs ?? []),
  ];
  return startCli(options.name ?? 'operator', args, options.dir, ports);
}

/** An Envoy of `fleet` fed over ADS by the xDS server on xdsPort. */
export async function startGatewayEnvoy(options: { dir: string; xdsPort: number; fleet?: string; name?: string; delta?: boolean }): Promise<Envoy> {
  const name = options.name ?? 'envoy';
  const bootstrap = envoyBootstrap({
    nodeId: name, fleet: options.fleet ?? 'turnpike', xdsHost: '127.0.0.1', xdsPort: options.xdsPort,
    apiType: options.delta === false ? 'GRPC' : 'DELTA_GRPC',
  });
  return startEnvoy({ bootstrap, dir: options.dir, name });
}

export interface StandaloneOptions {
  /** The -f argument (relative to cwd when given). */
  readonly manifests: string;
  /** Logs (`<name>.log`) and, unless `stateDir` says otherwise, the state directory `<dir>/standalone`. */
  readonly dir: string;
  readonly extraArgs?: readonly string[];
  /** The working directory of the process. */
  readonly cwd?: string;
  /** --state-dir; `null`: none passed (the default, `.turnpike/standalone` under cwd). */
  readonly stateDir?: string | null;
  /** Fixed ports, e.g. to restart where a previous one was. */
  readonly ports?: Partial<Ports>;
  readonly name?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs `turnpike standalone -f dir` (which starts its own Envoy). */
export async function startStandalone(options: StandaloneOptions): Promise<TurnpikeProcess> {
  const ports = await freePorts(options.ports);
  const stateDir = options.stateDir === undefined ? path.join(options.dir, 'standalone') : options.stateDir;
  const args = [
    'standalone', '-f', options.manifests, '--xds-port', String(ports.xds), '--http-port', String(ports.http),
    '--https-port', String(ports.https), ...(stateDir === null ? [] : ['--state-dir', stateDir]), ...(options.extraArgs ?? []),
  ];
  return startCli(options.name ?? 'standalone', args, options.dir, ports, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
}
