/** The part every mode shares: snapshot cache, ADS server and the pipeline wired to its ACKs. */
import { AdsServer, peerFleets, rateLimitFleet, SnapshotCache, type NodeInfo, type RotatingServerTls } from '@turnpike/xds-server';
import type { Config } from './config';
import type { Logger } from './log';
import { ControlPlaneMetrics, observeXds } from './metrics';
import { statusReport, type StatusReport } from './report/report';
import { Pipeline } from './pipeline';
import { schemaValidate } from './validate/validate-fn';

export interface ControlPlaneRuntime {
  readonly pipeline: Pipeline;
  readonly ads: AdsServer;
  readonly xdsPort: number;
  /** Envoys of the fleet connected to this process now. */
  connectedEnvoys(): number;
  /** Prometheus metrics of this process (served on the health port). */
  readonly metrics: ControlPlaneMetrics;
  /** This replica's view of its fleets and every object's conditions (`turnpike status`). */
  report(): StatusReport;
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

export interface RuntimeOptions {
  readonly metrics?: ControlPlaneMetrics;
  /** The fleet's Envoys connected to the whole control plane, from those connected here (Pipeline). */
  readonly envoys?: (local: number) => number;
  /**
   * Serve xDS with mutual TLS (xds-tls/), each stream only the fleet its client certificate
   * names; absent: plaintext, which config.ts allows on loopback or with --xds-insecure only.
   */
  readonly tls?: RotatingServerTls;
}

export async function startRuntime(config: Config, log: Logger, options: RuntimeOptions = {}): Promise<ControlPlaneRuntime> {
  const { metrics = new ControlPlaneMetrics(), envoys, tls } = options;
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
    onPass: (seconds) => { metrics.translationDuration.observe(seconds); },
    gateway: config.gateway, validate: schemaValidate(), cache, log,
    nodes: () => ads.tracker.list(fleet),
    ...(envoys === undefined ? {} : { envoys }),
    rateLimitNodes: () => ads.tracker.list(rateLimitFleet(fleet)),
    schedule: (refresh) => {
      pending = setImmediate(() => {
        pending = undefined;
        refresh();
      });
    },
  });
  const unsubscribe = ads.onEvent(() => { pipeline.requestRefresh(); });
  metrics.countObjectsOf(() => pipeline.statuses());
  const fleets = [fleet, rateLimitFleet(fleet)];
  const unobserve = observeXds(metrics, { ads, cache, fleets });
  return {
    pipeline,
    ads,
    xdsPort,
    connectedEnvoys: () => ads.tracker.list(fleet).filter((n) => n.streams > 0).length,
    metrics,
    report: () => statusReport({ fleets, cache, nodes: (f) => ads.tracker.list(f), statuses: () => pipeline.statuses() }),
    stop: async () => {
      unobserve();
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
