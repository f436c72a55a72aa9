/**
 * `turnpike authz`: the ext_authz service for cluster mode (standalone runs it in-process). It
 * serves Envoy's Check calls on --listen and fetches Apps and SignatureKeys, secrets included,
 * from xds-server over ADS (--xds-address): keep both on the cluster network, never exposed
 * (docs/authentication.md).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { startAuthz } from '@turnpike/authz';
import { authzFleet } from '@turnpike/xds-server';
import { ConfigError } from './config';
import { createLogger, type Level } from './log';
import { untilSignalled } from './runtime';

/** The chart's authz.port. */
const DEFAULT_PORT = 9001;

const OPTIONS = {
  'xds-address': { type: 'string' },
  fleet: { type: 'string' },
  listen: { type: 'string' },
  port: { type: 'string' },
  'node-id': { type: 'string' },
  'log-level': { type: 'string' },
} as const;

export interface AuthzCommandConfig {
  readonly xdsAddress: string;
  /** The Envoy fleet whose Apis this authz serves (it joins `<fleet>:authz`). */
  readonly fleet: string;
  readonly listen: string;
  readonly nodeId: string;
  readonly logLevel: Level;
}

/** Flags win over TURNPIKE_* variables. */
export function authzConfig(argv: readonly string[], env: NodeJS.ProcessEnv): AuthzCommandConfig {
  const { values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
  const pick = (flag: keyof typeof OPTIONS, variable: string): string | undefined => values[flag] ?? env[variable];
  const level = pick('log-level', 'TURNPIKE_LOG_LEVEL') ?? 'info';
  if (level !== 'debug' && level !== 'info' && level !== 'warn' && level !== 'error') throw new ConfigError(`--log-level: ${level} is not one of debug, info, warn, error`);
  const address = (flag: 'xds-address' | 'listen', variable: string, fallback: string): string => {
    const value = pick(flag, variable) ?? fallback;
    if (!/^(?:\[[^\]]+\]|[^:[\]]+):\d{1,5}$/.test(value)) throw new ConfigError(`--${flag}: ${value} is not host:port`);
    return value;
  };
  const port = pick('port', 'TURNPIKE_AUTHZ_PORT') ?? String(DEFAULT_PORT);
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw new ConfigError(`--port: ${port} is not a port number`);
  return {
    // The Helm chart sets TURNPIKE_XDS_SERVER, TURNPIKE_FLEET, TURNPIKE_AUTHZ_PORT and POD_NAME.
    xdsAddress: address('xds-address', 'TURNPIKE_XDS_SERVER', '127.0.0.1:18000'),
    fleet: pick('fleet', 'TURNPIKE_FLEET') ?? 'turnpike',
    listen: address('listen', 'TURNPIKE_AUTHZ_LISTEN', `0.0.0.0:${port}`),
    nodeId: pick('node-id', 'POD_NAME') ?? `${os.hostname()}-${process.pid}`,
    logLevel: level,
  };
}

export async function runAuthz(argv: readonly string[]): Promise<void> {
  const config = authzConfig(argv, process.env);
  const log = createLogger({ level: config.logLevel, base: { component: 'authz', node: config.nodeId } });
  const authz = await startAuthz({ xdsAddress: config.xdsAddress, fleet: authzFleet(config.fleet), nodeId: config.nodeId, listen: config.listen, log });
  await untilSignalled();
  log.info('authz stopping', { allowed: authz.counts.allowed, denied: authz.counts.denied });
  await authz.stop();
}
