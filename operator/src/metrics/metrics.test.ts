import { SnapshotCache, TYPE_URLS, type AdsEvent, type AdsListener, type SourceKind } from '@turnpike/xds-server';
import type { ConditionReason } from '../api/conditions';
import { world } from '../../../xds-server/src/snapshot/fixtures';
import type { ObjectStatus } from '../pipeline';
import { ControlPlaneMetrics } from './registry';
import { observeXds } from './xds';

/** The value of one series, read through prom-client's own API. */
async function value(metrics: ControlPlaneMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  // A histogram's _count and _sum are values of the histogram itself.
  const family = name.replace(/_(count|sum)$/, '');
  const metric = metrics.registry.getSingleMetric(name) ?? metrics.registry.getSingleMetric(family);
  if (metric === undefined) throw new Error(`${name} is not registered`);
  const { values } = await metric.get();
  const found = (values as { value: number; labels: Record<string, string | number | undefined>; metricName?: string }[]).find((v) => (v.metricName ?? name) === name && Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want)
    && Object.keys(v.labels).filter((k) => k !== 'le').length === Object.keys(labels).length);
  return found?.value;
}

function hub(): { onEvent(listener: AdsListener): () => void; emit(event: AdsEvent): void } {
  const listeners = new Set<AdsListener>();
  return {
    onEvent: (listener) => { listeners.add(listener); return () => listeners.delete(listener); },
    emit: (event) => { for (const l of listeners) l(event); },
  };
}

const stream = { nodeId: 'envoy-1', fleet: 'gw', protocol: 'delta', streamId: 'delta-1' } as const;
const answer = { ...stream, typeUrl: TYPE_URLS.cluster, version: 'v1', snapshotVersion: 's1', nonce: '1', resourceNames: [], removedResourceNames: [], resumed: false };

describe('xDS metrics', () => {
  it('count pushes, ACKs and NACKs per fleet and type, connected clients, and snapshot sizes', async () => {
    const metrics = new ControlPlaneMetrics();
    const ads = hub();
    const cache = new SnapshotCache();
    const stop = observeXds(metrics, { ads, cache, fleets: ['gw', 'gw-ratelimit'] });
    const set = cache.set('gw', world({ listenerPort: 10000, clusters: ['a', 'b'], endpoint: { address: '127.0.0.1', port: 1 } }));
    if (set.status !== 'updated') throw new Error('snapshot not served');
    ads.emit({ kind: 'connected', ...stream });
    ads.emit({ kind: 'connected', ...stream, fleet: 'chosen-by-a-client', streamId: 'delta-2' });
    ads.emit({ kind: 'sent', ...answer });
    ads.emit({ kind: 'ack', ack: true, ...answer });
    ads.emit({ kind: 'nack', ack: false, ...answer, errorMessage: 'bad cluster' });
    ads.emit({ kind: 'synced', ...stream, snapshotVersion: set.snapshot.version, typeUrls: [TYPE_URLS.cluster] });

    expect(await value(metrics, 'turnpike_xds_clients_connected', { fleet: 'gw' })).toBe(1);
    expect(await value(metrics, 'turnpike_xds_clients_connected', { fleet: 'gw-ratelimit' })).toBe(0);
    expect(await value(metrics, 'turnpike_xds_clients_connected', { fleet: 'other' })).toBe(1);
    expect(await value(metrics, 'turnpike_xds_pushes_total', { fleet: 'gw', type: 'Cluster' })).toBe(1);
    expect(await value(metrics, 'turnpike_xds_acks_total', { fleet: 'gw', type: 'Cluster' })).toBe(1);
    expect(await value(metrics, 'turnpike_xds_nacks_total', { fleet: 'gw', type: 'Cluster' })).toBe(1);
    expect(await value(metrics, 'turnpike_xds_snapshot_resources', { fleet: 'gw', type: 'Cluster' })).toBe(2);
    expect(await value(metrics, 'turnpike_xds_snapshot_resources', { fleet: 'gw', type: 'Listener' })).toBe(1);
    expect(await value(metrics, 'turnpike_xds_snapshot_bytes', { fleet: 'gw', type: 'Cluster' })).toBeGreaterThan(0);
    expect(await value(metrics, 'turnpike_xds_sync_duration_seconds_count', { fleet: 'gw' })).toBe(1);

    // A second synced event for the same stream and version is not a second sync.
    ads.emit({ kind: 'synced', ...stream, snapshotVersion: set.snapshot.version, typeUrls: [TYPE_URLS.cluster, TYPE_URLS.listener] });
    expect(await value(metrics, 'turnpike_xds_sync_duration_seconds_count', { fleet: 'gw' })).toBe(1);
    ads.emit({ kind: 'disconnected', ...stream });
    expect(await value(metrics, 'turnpike_xds_clients_connected', { fleet: 'gw' })).toBe(0);
    stop();
  });
});

describe('object metrics', () => {
  const condition = (status: 'True' | 'False', reason: ConditionReason): ObjectStatus['accepted'] => ({ status, reason, message: '' });
  const object = (kind: SourceKind, name: string, programmed: ObjectStatus['accepted']): ObjectStatus => ({
    source: { kind, namespace: 'ns', name }, generation: 1, fields: {},
    accepted: condition('True', 'Accepted'), resolvedRefs: condition('True', 'ResolvedRefs'), programmed,
  });

  it('count objects per kind, condition, status and reason at each scrape, without kinds that have no status', async () => {
    const metrics = new ControlPlaneMetrics();
    let statuses = new Map<string, ObjectStatus>([
      ['a', object('Api', 'a', condition('True', 'Programmed'))],
      ['b', object('Api', 'b', condition('False', 'Invalid'))],
      ['s', object('Secret', 's', condition('True', 'Programmed'))],
    ]);
    metrics.countObjectsOf(() => statuses);
    expect(await value(metrics, 'turnpike_objects', { kind: 'Api', condition: 'Accepted', status: 'True', reason: 'Accepted' })).toBe(2);
    expect(await value(metrics, 'turnpike_objects', { kind: 'Api', condition: 'Programmed', status: 'False', reason: 'Invalid' })).toBe(1);
    expect(await value(metrics, 'turnpike_objects', { kind: 'Secret', condition: 'Accepted', status: 'True', reason: 'Accepted' })).toBeUndefined();
    statuses = new Map([['a', object('Api', 'a', condition('True', 'Programmed'))]]);
    // A series whose objects are gone disappears rather than keeping its last count.
    expect(await value(metrics, 'turnpike_objects', { kind: 'Api', condition: 'Programmed', status: 'False', reason: 'Invalid' })).toBeUndefined();
  });

  it('exposes the text format with Node process metrics', async () => {
    const { contentType, body } = await new ControlPlaneMetrics().exposition();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(body).toMatch(/^process_cpu_seconds_total \d/m);
    expect(body).toMatch(/^turnpike_leader 0$/m);
  });
});
