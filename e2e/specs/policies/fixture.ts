// A routing gateway (../routing/fixture.ts) plus what throttling needs: Redis and envoyproxy/ratelimit
// configured over ADS by the operator (fleet turnpike:ratelimit), the operator told where it is.
import { rateLimitFleet } from '@turnpike/xds-server';
import {
  call, freePort, startRateLimit, startRedis, waitFor, waitRateLimitReady,
  type HttpCall, type HttpReply, type RateLimit, type Redis,
} from '../../src';
import { startGateway, type Gateway } from '../routing/fixture';

export interface PolicyGateway {
  readonly gw: Gateway;
  readonly redis: Redis;
  readonly rateLimit: RateLimit;
  /** Stops Redis (the rate-limit service then fails every call). */
  stopRedis(): Promise<void>;
  /** Starts Redis again on its port. */
  restartRedis(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPolicyGateway(prefix: string, operatorArgs: readonly string[] = []): Promise<PolicyGateway> {
  const grpcPort = await freePort();
  const gw = await startGateway(prefix, { operatorArgs: ['--ratelimit-address', `127.0.0.1:${grpcPort}`, ...operatorArgs] });
  let redis = await startRedis(gw.dir);
  const rateLimit = await startRateLimit({
    dir: gw.dir, redisPort: redis.port, xdsServer: `127.0.0.1:${gw.operator.xdsPort}`, nodeId: `${prefix}-ratelimit`, fleet: rateLimitFleet('turnpike'), grpcPort,
  });
  await waitRateLimitReady(rateLimit);
  return {
    gw, rateLimit,
    get redis() { return redis; },
    stopRedis: () => redis.stop(),
    restartRedis: async () => { redis = await startRedis(gw.dir, redis.port); },
    stop: async () => {
      await rateLimit.stop();
      await redis.stop();
      await gw.stop();
    },
  };
}

/** Waits until a policy's Programmed condition is True (Envoy and, for throttles, ratelimit ACKed it). */
export async function programmed(gw: Gateway, kind: string, name: string): Promise<void> {
  await waitFor(async () => (await gw.condition(kind, name, 'Programmed'))?.status === 'True', { what: `${kind} ${name} Programmed`, timeoutMs: 30_000 });
}

/**
 * Fixed windows reset on the minute: waits until at least `seconds` remain in the current one, so
 * a burst that must stay inside one window does.
 */
export async function roomInMinute(seconds = 20): Promise<void> {
  await waitFor(() => new Date().getUTCSeconds() < 60 - seconds, { what: `${seconds} s left in the current minute`, timeoutMs: 65_000, intervalMs: 200 });
}

/** `count` calls, `concurrency` at a time, each from one of `sources` (127.x addresses) in turn. */
export async function burst(
  count: number, options: Omit<HttpCall, 'port'>, request: (options: Omit<HttpCall, 'port'>) => Promise<HttpReply>,
  sources: readonly string[] = ['127.0.0.1'], concurrency = 10,
): Promise<HttpReply[]> {
  const replies: HttpReply[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      replies[index] = await request({ ...options, localAddress: sources[index % sources.length] ?? '127.0.0.1' });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return replies;
}

/** Status → how many replies had it. */
export function tally(replies: readonly HttpReply[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const reply of replies) out[reply.status] = (out[reply.status] ?? 0) + 1;
  return out;
}

/** A request to a given port (a second Envoy, another listener). */
export function callPort(port: number): (options: Omit<HttpCall, 'port'>) => Promise<HttpReply> {
  return (options) => call({ ...options, port });
}

/** The token bucket sizes (max_tokens) of an Envoy's Fast filter, by `<policy> <scope>[ <key>=<value>]`. */
export async function fastShares(admin: string): Promise<Map<string, number>> {
  const dump = (await (await fetch(`${admin}/config_dump?resource=ecds_filters`)).json()) as {
    configs: { ecds_filter?: { name: string; typed_config: { descriptors?: { entries: { key: string; value?: string }[]; token_bucket: { max_tokens: number } }[] } } }[];
  };
  const filter = dump.configs.find((c) => c.ecds_filter?.name === 'turnpike.throttle.fast')?.ecds_filter;
  const out = new Map<string, number>();
  for (const d of filter?.typed_config.descriptors ?? []) out.set(d.entries.map((e) => e.value ?? '').join(' '), d.token_bucket.max_tokens);
  return out;
}

/** A mock Api of group `shop` answering `ok` on GET /<name>. */
export const mockApiYaml = (name: string, environments = '[RELEASE]'): string => `---
apiVersion: turnpike.dev/v1alpha1
kind: Api
metadata: {name: ${name}}
spec: {groupRef: {name: shop}, method: GET, path: /${name}, backend: {mock: {body: ok}}, environments: ${environments}}
`;

/** A ThrottlePolicy on `targets` (flow-style refs); `spec`: its other fields, indented two spaces. */
export const throttleYaml = (name: string, targets: string, spec: string): string => `---
apiVersion: turnpike.dev/v1alpha1
kind: ThrottlePolicy
metadata: {name: ${name}}
spec:
  targetRefs: [${targets}]
${spec}
`;
