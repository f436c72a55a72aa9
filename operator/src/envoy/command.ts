/**
 * `turnpike envoy --xds HOST:PORT [--fleet NAME] [--node-id ID] [--state-dir DIR] [--admin-port N]
 *  [--xds-tls-dir DIR --xds-server-name NAME]`:
 * one Envoy of a fleet, connected to any Turnpike control plane (standalone or operator). It writes
 * the bootstrap from envoyBootstrap() into the state directory and runs Envoy from $TURNPIKE_ENVOY,
 * the component cache or PATH until SIGINT/SIGTERM (or until Envoy exits). Everything else —
 * listeners, their ports, routes, the authn module's path — comes from the control plane over ADS.
 * With --xds-tls-dir (tls.crt, tls.key, ca.crt: e.g. the `<prefix>-envoy` Secret of the operator's
 * CA), Envoy connects with mutual TLS and reloads the files when they are replaced.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config';
import { createLogger } from '../log';
import { untilSignalled } from '../runtime';
import { StandaloneProcesses } from '../standalone-processes';
import { findEnvoy, launchEnvoy } from './launch';

const USAGE = 'usage: turnpike envoy --xds HOST:PORT [--fleet turnpike] [--node-id ID] [--state-dir DIR] [--admin-port 0] [--xds-tls-dir DIR [--xds-server-name HOST]]';

function portNumber(flag: string, value: string): number {
  const n = Number(value);
  if (value === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`--${flag}: ${value} is not a port number`);
  return n;
}

function xdsAddress(value: string | undefined): { host: string; port: number } {
  const match = value === undefined ? null : /^\[?([^\]]+?)\]?:([0-9]+)$/.exec(value);
  if (match?.[1] === undefined || match[2] === undefined) throw new ConfigError(`--xds: HOST:PORT of the control plane's xDS server is required\n${USAGE}`);
  return { host: match[1], port: portNumber('xds', match[2]) };
}

function logLevel(value: string | undefined): 'debug' | 'info' | 'warn' | 'error' {
  const level = value ?? 'info';
  if (level === 'debug' || level === 'info' || level === 'warn' || level === 'error') return level;
  throw new ConfigError(`--log-level: ${level} is not one of debug, info, warn, error`);
}

export async function runEnvoy(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      xds: { type: 'string' }, fleet: { type: 'string' }, 'node-id': { type: 'string' },
      'state-dir': { type: 'string' }, 'admin-port': { type: 'string' }, 'log-level': { type: 'string' },
      'xds-tls-dir': { type: 'string' }, 'xds-server-name': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const xds = xdsAddress(values.xds ?? process.env.TURNPIKE_XDS_ADDRESS);
  const nodeId = values['node-id'] ?? `${os.hostname()}-envoy-${process.pid}`;
  const stateDir = path.resolve(values['state-dir'] ?? path.join('.turnpike', 'envoy', nodeId));
  const log = createLogger({ level: logLevel(values['log-level']) });
  const fleet = values.fleet ?? process.env.TURNPIKE_FLEET ?? 'turnpike';
  const tlsDir = values['xds-tls-dir'] ?? process.env.TURNPIKE_XDS_TLS_DIR;
  // The server's certificate must name the host dialled unless another name is given.
  const xdsTls = tlsDir === undefined ? {} : { xdsTls: { certDir: path.resolve(tlsDir), sdsDir: stateDir, serverName: values['xds-server-name'] ?? xds.host } };
  const bootstrap = { nodeId, fleet, xdsHost: xds.host, xdsPort: xds.port, adminPort: portNumber('admin-port', values['admin-port'] ?? '0'), ...xdsTls };
  // Listening before Envoy starts: a signal during its start still stops it.
  const signalled = untilSignalled();
  // Recorded in the state directory: an Envoy left by a CLI killed with SIGKILL is stopped by the
  // next one started there, and Node's exit hook kills Envoy whatever else ends this process.
  const processes = new StandaloneProcesses(stateDir, log, 'turnpike envoy');
  await processes.claim();
  try {
    const envoy = await launchEnvoy(findEnvoy(process.env), bootstrap, stateDir, log, { track: (name, child) => { processes.track(name, child); } });
    process.stdout.write(`Envoy ${nodeId} (fleet ${fleet}) started against xDS ${xds.host}:${xds.port}${tlsDir === undefined ? '' : ' (mutual TLS)'}; admin ${envoy.admin}; bootstrap in ${stateDir}. Stop with Ctrl-C.\n`);
    const outcome = await Promise.race([signalled, envoy.exited.then((code) => new Error(`Envoy exited (code ${String(code)})`))]);
    await envoy.stop();
    if (outcome instanceof Error) throw outcome;
  } finally {
    processes.release();
  }
}
