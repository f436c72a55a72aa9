/**
 * A running authz: the ext_authz gRPC server plus the ADS client that feeds it. Used by
 * `turnpike authz` (cluster mode) and in-process by `turnpike standalone`.
 */
import * as grpc from '@grpc/grpc-js';
import { defaultRegistry, MAX_SIGNED_BODY_BYTES } from '@turnpike/xds-server';
import type { Decision } from './check/decide';
import { AdsClient, type AdsClientLogger } from './config/ads-client';
import type { AuthzConfig } from './config/model';
import { addAuthorizationService } from './service';

export interface AuthzOptions {
  /** host:port of xds-server's ADS; without it, call connect() once it is known. */
  readonly xdsAddress?: string;
  /** The authz fleet: `authzFleet(<Envoy fleet>)`. */
  readonly fleet: string;
  readonly nodeId: string;
  /** Address to serve ext_authz on: loopback in standalone mode (default 127.0.0.1:0). */
  readonly listen?: string;
  readonly log: AdsClientLogger & { debug(message: string, fields?: Readonly<Record<string, unknown>>): void };
  readonly now?: () => number;
}

export interface DecisionCounts {
  allowed: number;
  denied: number;
}

export interface RunningAuthz {
  /** The bound ext_authz port. */
  readonly port: number;
  /** True once the first complete configuration arrived (before that every check is UNAVAILABLE). */
  ready(): boolean;
  readonly counts: DecisionCounts;
  /** Starts fetching the configuration from xds-server (once). */
  connect(xdsAddress: string): void;
  stop(): Promise<void>;
}

/** Room for Huawei's 12 MB body limit plus headers in one CheckRequest. */
const MAX_CHECK_BYTES = MAX_SIGNED_BODY_BYTES + 4 * 1024 * 1024;

export async function startAuthz(options: AuthzOptions): Promise<RunningAuthz> {
  const registry = defaultRegistry();
  let config: AuthzConfig | undefined;
  let client: AdsClient | undefined;
  const connect = (address: string): void => {
    if (client !== undefined) return;
    const started = new AdsClient({
      address, nodeId: options.nodeId, fleet: options.fleet, log: options.log, registry,
      onConfig: (next) => { if (started.synced) config = next; },
    });
    client = started;
    started.start();
    options.log.info('authz fetching its configuration', { xds: address, fleet: options.fleet });
  };
  const counts: DecisionCounts = { allowed: 0, denied: 0 };
  const observe = (decision: Decision): void => {
    if (decision.allow) counts.allowed += 1;
    else {
      counts.denied += 1;
      // The code and Huawei's message only: the message never holds a secret (the canonical
      // request it may echo is what the caller sent).
      options.log.debug('request denied', { code: decision.denial.code, message: decision.denial.message });
    }
  };
  const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_CHECK_BYTES });
  addAuthorizationService(server, { registry, config: () => config, observe, ...(options.now === undefined ? {} : { now: options.now }) });
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(options.listen ?? '127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) => {
      if (err === null) resolve(bound);
      else reject(err);
    });
  });
  options.log.info('authz serving ext_authz', { port });
  if (options.xdsAddress !== undefined) connect(options.xdsAddress);
  return {
    port,
    counts,
    connect,
    ready: () => config !== undefined,
    stop: async () => {
      client?.stop();
      await new Promise<void>((resolve) => { server.tryShutdown(() => { resolve(); }); });
    },
  };
}
