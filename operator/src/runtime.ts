/** The part every mode shares: snapshot cache, ADS server and the pipeline wired to its ACKs. */
import { AdsServer, peerFleets, rateLimitFleet, SnapshotCache, type NodeInfo, type RotatingServerTls } from '@turnpike/xds-server';
import type { Config } from './config';
import type { Logger } from './log';
import { Pipeline } from './pipeline';
import { schemaValidate } from './validate/validate-fn';

export interface ControlPlaneRuntime {
  readonly pipeline: Pipeline;
  readonly ads: AdsServer;
  readonly xdsPort: number;
  stop(): Promise<void>;
}

/**
 * A node's fleet: node.cluster (Envoy), else node.metadata.fleet (envoyproxy/ratelimit,
 * which cannot set node.cluster: CONFIG_GRPC_XDS_NODE_METADATA=fleet=<fleet>:ratelimit).
 */
export function fleetOf(node: NodeInfo): string | undefined {
  if (node.cluster !== '') return node.cluster;
  const fleet = node.metadata?.fleet;
  return fleet === undefined || fleet === '' ? undefined : fleet;
}

/**
 * `tls`: serve xDS with mutual TLS (xds-tls/), each stream only the fleet its client certificate
 * names; absent: plaintext, which config.ts allows on loopback or with --xds-insecure only.
 */
export async function startRuntime(config: Config, log: Logger, tls?: RotatingServerTls): Promise<ControlPlaneRuntime> {
  const cache = new SnapshotCache();
  const logger = log.child({ component: 'ads' });
  const ads = new AdsServer(tls === undefined ? { cache, fleetOf, logger } : { cache, fleetOf, logger, peerFleets });
  const xdsPort = await ads.listen(`${config.xds.host}:${config.xds.port}`, tls?.credentials);
  const fleet = config.gateway.fleet;
  if (config.gateway.defaultApiLimit !== undefined && config.gateway.rateLimit === undefined) {
    log.warn('--default-api-limit is not enforced: no rate-limit service is configured (--ratelimit-address)');
  }
  // Programmed is re-derived once per burst of ADS events (sent, an ACK per type, synced) and
  // after a push, in a later task: the push reaches the socket before statuses are computed.
  let pending: NodeJS.Immediate | undefined;
  const pipeline = new Pipeline({
    gateway: config.gateway, validate: schemaValidate(), cache, log,
    nodes: () => ads.tracker.list(fleet),
    rateLimitNodes: () => ads.tracker.list(rateLimitFleet(fleet)),
    schedule: (refresh) => {
      pending = setImmediate(() => {
        pending = undefined;
        refresh();
      });
    },
  });
  const unsubscribe = ads.onEvent(() => { pipeline.requestRefresh(); });
  return {
    pipeline,
    ads,
    xdsPort,
    stop: async () => {
      unsubscribe();
      clearImmediate(pending);
      await ads.close();
    },
  };
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignalled(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => { resolve(); });
    process.once('SIGTERM', () => { resolve(); });
  });
}
