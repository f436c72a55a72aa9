import path from 'node:path';
import { binary } from './bins';
import { freePort, isListening } from './ports';
import { startProcess, tail, type Proc } from './procs';
import { waitFor } from './wait';

/** A Redis for the rate-limit service, on its own loopback port with persistence off. */
export interface Redis {
  readonly proc: Proc;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts Redis; `port` restarts one where a stopped one was. */
export async function startRedis(dir: string, port?: number): Promise<Redis> {
  port ??= await freePort();
  const proc = startProcess({
    name: `redis-${port}`,
    command: binary('redis-server'),
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    logDir: dir,
  });
  await waitFor(async () => {
    if (!proc.isRunning()) throw new Error(`redis exited:\n${tail(proc.logFile, 10)}`);
    return isListening(port);
  }, { what: `redis on port ${port}` });
  return { proc, port, stop: () => proc.stop() };
}

/** envoyproxy/ratelimit configured over xDS (SotW ADS) from our xds-server. */
export interface RateLimit {
  readonly proc: Proc;
  readonly grpcPort: number;
  readonly httpPort: number;
  stop(): Promise<void>;
}

export interface RateLimitOptions {
  readonly dir: string;
  readonly redisPort: number;
  /** host:port of the xds-server. */
  readonly xdsServer: string;
  readonly nodeId: string;
  /** The fleet (node metadata `fleet`, e.g. rateLimitFleet('turnpike')) whose RateLimitConfig this instance receives. */
  readonly fleet?: string;
  /** gRPC port, when it must be known before the start (e.g. for --ratelimit-address); default: a free one. */
  readonly grpcPort?: number;
  /** More environment (e.g. its xDS TLS settings), over the defaults. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Starts ratelimit; it opens its gRPC port only after its first config arrives over xDS. */
export async function startRateLimit(options: RateLimitOptions): Promise<RateLimit> {
  const [grpcPort, httpPort, debugPort] = [options.grpcPort ?? (await freePort()), await freePort(), await freePort()];
  const proc = startProcess({
    name: `ratelimit-${options.nodeId}`,
    command: binary('ratelimit'),
    args: [],
    logDir: path.join(options.dir),
    env: {
      USE_STATSD: 'false', LOG_LEVEL: 'info', LOG_FORMAT: 'json',
      HOST: '127.0.0.1', PORT: String(httpPort),
      GRPC_HOST: '127.0.0.1', GRPC_PORT: String(grpcPort),
      DEBUG_HOST: '127.0.0.1', DEBUG_PORT: String(debugPort),
      BACKEND_TYPE: 'redis', REDIS_SOCKET_TYPE: 'tcp', REDIS_TYPE: 'SINGLE', REDIS_URL: `127.0.0.1:${options.redisPort}`,
      // As Turnpike runs it (docs/policies.md): a call refused by one limit uses up no other.
      STOP_CACHE_KEY_INCREMENT_WHEN_OVERLIMIT: 'true',
      CONFIG_TYPE: 'GRPC_XDS_SOTW', CONFIG_GRPC_XDS_SERVER_URL: options.xdsServer,
      CONFIG_GRPC_XDS_NODE_ID: options.nodeId,
      CONFIG_GRPC_XDS_NODE_METADATA: `fleet=${options.fleet ?? 'default'}`,
      XDS_CLIENT_BACKOFF_INITIAL_INTERVAL: '200ms', XDS_CLIENT_BACKOFF_MAX_INTERVAL: '1s',
      // As the chart runs it: collect garbage 4× less often. Its live heap is a few
      // MB, so at the default GOGC=100 it collects many times a second under load; 400 cut its CPU
      // per call by ~10 % in bench/policies (docs/policies.md#performance) for a few MB more heap.
      GOGC: '400',
      FORCE_START_WITHOUT_INITIAL_CONFIG: 'false',
      ...options.env,
    },
  });
  return { proc, grpcPort, httpPort, stop: () => proc.stop() };
}

/** Waits until ratelimit serves gRPC (that is, it has loaded a config from xDS). */
export async function waitRateLimitReady(rl: RateLimit, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => {
    if (!rl.proc.isRunning()) throw new Error(`ratelimit exited:\n${tail(rl.proc.logFile, 20)}`);
    return isListening(rl.grpcPort);
  }, { what: `ratelimit gRPC on ${rl.grpcPort} (log: ${rl.proc.logFile})`, timeoutMs });
}
