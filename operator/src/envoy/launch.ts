/**
 * Runs Envoy for standalone mode: finds the binary `make setup` installed, writes the ADS
 * bootstrap, and forwards Envoy's log lines to our logger.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { envoyBootstrap, xdsTlsSdsFiles, type BootstrapOptions } from '@turnpike/xds-server';
import { componentBin, findComponent } from '../components';
import type { Logger } from '../log';
import { stopChild } from '../standalone-processes';

/** The Envoy binary: $TURNPIKE_ENVOY, then `make setup`'s cache, then PATH. */
export function findEnvoy(env: NodeJS.ProcessEnv): string {
  const given = env.TURNPIKE_ENVOY;
  const found = given !== undefined && given !== '' && fs.existsSync(given) ? given : findComponent('envoy', env);
  if (found === undefined) throw new Error('Envoy not found: run `make setup-standalone`, or set TURNPIKE_ENVOY, or pass --no-envoy');
  return found;
}

/** Writes the bootstrap and, with mutual TLS on xDS, the SDS files it refers to; returns the bootstrap's path. */
export function writeBootstrap(bootstrap: BootstrapOptions, configFile: string): string {
  if (bootstrap.xdsTls !== undefined) {
    fs.mkdirSync(bootstrap.xdsTls.sdsDir, { recursive: true });
    for (const [file, content] of Object.entries(xdsTlsSdsFiles(bootstrap.xdsTls))) {
      fs.writeFileSync(path.join(bootstrap.xdsTls.sdsDir, file), JSON.stringify(content, null, 2));
    }
  }
  fs.writeFileSync(configFile, JSON.stringify(envoyBootstrap(bootstrap), null, 2));
  return configFile;
}

export interface RunningEnvoy {
  /** http://127.0.0.1:<port> of Envoy's admin interface. */
  readonly admin: string;
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

async function readAdmin(file: string, child: ChildProcess, deadlineMs: number): Promise<string> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (fs.existsSync(file)) {
      const address = fs.readFileSync(file, 'utf8').trim();
      if (address !== '') return `http://${address}`;
    }
    if (child.exitCode !== null) throw new Error(`Envoy exited with code ${child.exitCode} before it started`);
    if (Date.now() > deadline) throw new Error('Envoy did not start within the deadline');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Envoy loads a dynamic module (the authn filter, `lib<name>.so`) from the directory this variable names. */
export const MODULE_SEARCH_PATH = 'ENVOY_DYNAMIC_MODULES_SEARCH_PATH';

export interface LaunchOptions {
  /** Called with the child as soon as it is spawned, so that it is stopped with the rest. */
  readonly track?: (name: string, child: ChildProcess) => void;
  /** The authn module's path; absent: $ENVOY_DYNAMIC_MODULES_SEARCH_PATH if set, else `make setup`'s cache. */
  readonly authnModule?: string;
}

/** Envoy's environment: ours, plus where it finds the authn module. */
export function envoyEnv(env: NodeJS.ProcessEnv, authnModule?: string): NodeJS.ProcessEnv {
  return { ...env, [MODULE_SEARCH_PATH]: authnModule === undefined ? env[MODULE_SEARCH_PATH] ?? componentBin(env) : path.dirname(authnModule) };
}

export async function launchEnvoy(
  binary: string,
  bootstrap: BootstrapOptions,
  stateDir: string,
  log: Logger,
  options: LaunchOptions = {},
): Promise<RunningEnvoy> {
  fs.mkdirSync(stateDir, { recursive: true });
  const configFile = path.join(stateDir, 'envoy-bootstrap.json');
  const adminFile = path.join(stateDir, 'envoy-admin.addr');
  fs.rmSync(adminFile, { force: true });
  writeBootstrap(bootstrap, configFile);
  const child = spawn(binary, ['-c', configFile, '--disable-hot-restart', '--admin-address-path', adminFile, '--log-level', 'warn'], {
    // Envoy's stdout carries only the access log (--access-log stdout): it writes to ours itself,
    // a line per request that the control plane need not copy (CPU and Buffers under load).
    stdio: ['ignore', 'inherit', 'pipe'],
    env: envoyEnv(process.env, options.authnModule),
  });
  options.track?.('envoy', child);
  const envoyLog = log.child({ component: 'envoy' });
  // Envoy logs on stderr.
  readline.createInterface({ input: child.stderr }).on('line', (line) => { envoyLog.warn(line); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const admin = await readAdmin(adminFile, child, 20_000).catch(async (err: unknown) => {
    await stopChild(child);
    throw err;
  });
  return {
    admin,
    exited,
    stop: () => stopChild(child),
  };
}
