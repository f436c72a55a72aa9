/**
 * xDS metrics from the ADS server's events (AdsServer.onEvent) and the snapshots the cache serves:
 * pushes, ACKs and NACKs, connected clients, snapshot sizes, and how long a new snapshot takes
 * to be fully ACKed by each client.
 */
import type { AdsEvent, AdsListener, Snapshot, SnapshotCache } from '@turnpike/xds-server';
import { fleetLabel, typeLabel } from './labels';
import type { ControlPlaneMetrics } from './registry';

export interface XdsMetricsOptions {
  /** The ADS server (AdsServer.onEvent). */
  readonly ads: { onEvent(listener: AdsListener): () => void };
  readonly cache: SnapshotCache;
  /** The fleets this control plane serves; clients naming any other fleet are counted as `other`. */
  readonly fleets: readonly string[];
}

/** Subscribes the metrics to the ADS server and the cache; returns the unsubscribe function. */
export function observeXds(metrics: ControlPlaneMetrics, options: XdsMetricsOptions): () => void {
  const { ads, cache, fleets } = options;
  // When each fleet's current snapshot began to be served, and each stream opened: a client's
  // sync is measured from the later of the two, once per stream and snapshot version.
  const servedAt = new Map<string, { version: string; at: number }>();
  const streams = new Map<string, { openedAt: number; measured: string | undefined }>();
  const served = (snapshot: Snapshot): void => { servedAt.set(snapshot.fleet, { version: snapshot.version, at: performance.now() }); };
  for (const fleet of fleets) metrics.xdsClients.set({ fleet }, 0);
  metrics.measureSnapshotsOf(() => fleets.map((fleet) => cache.get(fleet)).filter((s): s is Snapshot => s !== undefined));
  const unwatch = fleets.map((fleet) => {
    const current = cache.get(fleet);
    if (current !== undefined) served(current);
    return cache.watch(fleet, served);
  });
  const synced = (fleet: string, streamId: string, version: string): void => {
    const since = servedAt.get(fleet);
    const stream = streams.get(streamId);
    if (since?.version !== version || stream === undefined || stream.measured === version) return;
    stream.measured = version;
    metrics.syncDuration.observe({ fleet: fleetLabel(fleets, fleet) }, (performance.now() - Math.max(since.at, stream.openedAt)) / 1000);
  };
  const unsubscribe = ads.onEvent((event: AdsEvent) => {
    const fleet = fleetLabel(fleets, event.fleet);
    switch (event.kind) {
      case 'connected':
        streams.set(event.streamId, { openedAt: performance.now(), measured: undefined });
        metrics.xdsClients.inc({ fleet });
        return;
      case 'disconnected':
        streams.delete(event.streamId);
        metrics.xdsClients.dec({ fleet });
        return;
      case 'sent': metrics.xdsPushes.inc({ fleet, type: typeLabel(event.typeUrl) }); return;
      case 'ack': if (!event.resumed) metrics.xdsAcks.inc({ fleet, type: typeLabel(event.typeUrl) }); return;
      case 'nack': metrics.xdsNacks.inc({ fleet, type: typeLabel(event.typeUrl) }); return;
      case 'synced': synced(event.fleet, event.streamId, event.snapshotVersion); return;
    }
  });
  return () => {
    unsubscribe();
    for (const stop of unwatch) stop();
  };
}
