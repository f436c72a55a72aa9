/**
 * Standalone mode's rate limiting: envoyproxy/ratelimit and a Redis, as child processes on
 * loopback, when `make setup-standalone` installed them. ratelimit fetches its configuration over
 * ADS from this process's xDS server (fleet `<fleet>:ratelimit`), like a cluster's would; Envoy
 * reaches it through the `turnpike-ratelimit` cluster. They start whatever the manifests hold:
 * every group's default subdomain has its daily cap, so there is always something to count.
 * Without the binaries (or with --no-ratelimit) nothing is rate limited and ThrottlePolicies say
 * so in Programmed. Their logs go to `<state-dir>/ratelimit.log` and `<state-dir>/redis.log`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, rateLimitFleet } from '@turnpike/xds-server';
import { findComponent } from './components';
import type { Config, StandaloneConfig } from './config';
import type { Logger } from './log';
import { stopChild } from './standalone-processes';

export interface LocalRateLimit {
  /** The configuration with `gateway.rateLimit` pointing at the local ratelimit (when started). */
  readonly config: Config;
  /** Starts ratelimit against the xDS server on `xdsPort`. */
  connect(xdsPort: number): void;
  stop(): Promise<void>;
}

function run(command: string, args: readonly string[], env: Readonly<Record<string, string>>, logFile: string): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(command, [...args], { env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  return child;
}

/** The environment of an envoyproxy/ratelimit configured over xDS (reference: test-components §2). */
function rateLimitEnv(fleet: string, ports: { grpc: number; http: number; debug: number; redis: number }, xds: string): Record<string, string> {
  return {
    USE_STATSD: 'false', DISABLE_STATS: 'true', LOG_LEVEL: 'warn', LOG_FORMAT: 'json',
    HOST: '127.0.0.1', PORT: String(ports.http), GRPC_HOST: '127.0.0.1', GRPC_PORT: String(ports.grpc),
    DEBUG_HOST: '127.0.0.1', DEBUG_PORT: String(ports.debug),
    BACKEND_TYPE: 'redis', REDIS_SOCKET_TYPE: 'tcp', REDIS_TYPE: 'SINGLE', REDIS_URL: `127.0.0.1:${ports.redis}`,
    // A call refused by one limit does not use up the others (docs/policies.md).
    STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT: 'true',
    // One call per request allocates a lot: fewer GCs cost ~10 % less CPU per call for ~10 MB (docs/policies.md).
    GOGC: '400',
    CONFIG_TYPE: 'GRPC_XDS_SOTW', CONFIG_GRPC_XDS_SERVER_URL: xds,
    CONFIG_GRPC_XDS_NODE_ID: `standalone-ratelimit-${process.pid}`,
    CONFIG_GRPC_XDS_NODE_METADATA: `fleet=${rateLimitFleet(fleet)}`,
    XDS_CLIENT_BACKOFF_INITIAL_INTERVAL: '200ms', XDS_CLIENT_BACKOFF_MAX_INTERVAL: '2s',
  };
}

export async function startLocalRateLimit(
  config: Config,
  mode: StandaloneConfig,
  log: Logger,
  track: (name: string, child: ChildProcess) => void = () => undefined,
): Promise<LocalRateLimit> {
  const none: LocalRateLimit = { config, connect: () => undefined, stop: () => Promise.resolve() };
  if (!mode.rateLimit) return none;
  const ratelimit = findComponent('ratelimit', process.env);
  const redisServer = findComponent('redis-server', process.env);
  if (ratelimit === undefined || redisServer === undefined) {
    log.warn('rate limits are not enforced: envoyproxy/ratelimit or redis-server is not installed (run `make setup-standalone`, or pass --ratelimit-address)');
    return none;
  }
  const stateDir = path.resolve(mode.stateDir);
  fs.mkdirSync(stateDir, { recursive: true });
  const ports = { grpc: await freePort(), http: await freePort(), debug: await freePort(), redis: await freePort() };
  const redis = run(redisServer, ['--port', String(ports.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', stateDir], {}, path.join(stateDir, 'redis.log'));
  track('redis-server', redis);
  let service: ChildProcess | undefined;
  log.info('rate limiting with envoyproxy/ratelimit and Redis', { grpcPort: ports.grpc, redisPort: ports.redis, logs: stateDir });
  return {
    config: { ...config, gateway: { ...config.gateway, rateLimit: { host: '127.0.0.1', port: ports.grpc } } },
    connect: (xdsPort) => {
      const xdsHost = config.xds.host === '0.0.0.0' || config.xds.host === '::' ? '127.0.0.1' : config.xds.host;
      service = run(ratelimit, [], rateLimitEnv(config.gateway.fleet, ports, `${xdsHost}:${xdsPort}`), path.join(stateDir, 'ratelimit.log'));
      track('ratelimit', service);
    },
    stop: async () => {
      await stopChild(service);
      await stopChild(redis);
    },
  };
}
