/**
 * The control plane's Prometheus metrics (prom-client), served as `/metrics` on the health port.
 * Every label has a bounded set of values: kinds, condition types and reasons from the code,
 * xDS type names, and the fleets this control plane serves (any other fleet is `other`).
 * docs/operating.md lists them; the chart's dashboard queries them (a test checks the names).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { TYPE_URLS, type Snapshot } from '@turnpike/xds-server';
import { STATUSLESS_KINDS, type ObjectStatus } from '../pipeline';
import { typeLabel } from './labels';

/** Seconds: a pass or a write takes milliseconds at most sizes, seconds when something is wrong. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ControlPlaneMetrics {
  readonly registry = new Registry();
  readonly translationDuration = new Histogram({
    name: 'turnpike_translation_duration_seconds',
    help: 'Time of one pass: a changed set of objects translated into the IR, the Envoy resources and a snapshot.',
    buckets: DURATION_BUCKETS, registers: [this.registry],
  });
  readonly statusWriteDuration = new Histogram({
    name: 'turnpike_status_write_duration_seconds',
    help: 'Time of one status write to the API server (leader only), by result: written or failed.',
    labelNames: ['result'] as const, buckets: DURATION_BUCKETS, registers: [this.registry],
  });
  /** The statuses counted at each scrape (not on every change: a pass stays O(changed)). */
  #statuses: () => ReadonlyMap<string, ObjectStatus> = () => new Map();
  readonly objects = new Gauge({
    name: 'turnpike_objects',
    help: 'Objects by kind and by the status and reason of each condition (Accepted, ResolvedRefs, Programmed).',
    labelNames: ['kind', 'condition', 'status', 'reason'] as const, registers: [this.registry],
    collect: () => { this.#countObjects(); },
  });
  readonly xdsClients = new Gauge({
    name: 'turnpike_xds_clients_connected',
    help: 'xDS streams open to this replica, per fleet (Envoys, and envoyproxy/ratelimit in the <fleet>-ratelimit fleet).',
    labelNames: ['fleet'] as const, registers: [this.registry],
  });
  readonly xdsPushes = new Counter({
    name: 'turnpike_xds_pushes_total',
    help: 'xDS responses sent, per fleet and resource type.',
    labelNames: ['fleet', 'type'] as const, registers: [this.registry],
  });
  readonly xdsAcks = new Counter({
    name: 'turnpike_xds_acks_total',
    help: 'xDS responses a client accepted (ACK), per fleet and resource type.',
    labelNames: ['fleet', 'type'] as const, registers: [this.registry],
  });
  readonly xdsNacks = new Counter({
    name: 'turnpike_xds_nacks_total',
    help: 'xDS responses a client refused (NACK), per fleet and resource type; the operator log has the message.',
    labelNames: ['fleet', 'type'] as const, registers: [this.registry],
  });
  /** The snapshots measured at each scrape. */
  #snapshots: () => readonly Snapshot[] = () => [];
  readonly snapshotResources = new Gauge({
    name: 'turnpike_xds_snapshot_resources',
    help: 'Resources in the snapshot served, per fleet and resource type.',
    labelNames: ['fleet', 'type'] as const, registers: [this.registry],
    collect: () => { this.#measureSnapshots(); },
  });
  readonly snapshotBytes = new Gauge({
    name: 'turnpike_xds_snapshot_bytes',
    help: 'Encoded size of the snapshot served, per fleet and resource type.',
    labelNames: ['fleet', 'type'] as const, registers: [this.registry],
  });
  readonly syncDuration = new Histogram({
    name: 'turnpike_xds_sync_duration_seconds',
    help: 'Time from a new snapshot being served to a client having ACKed all of it, per fleet; its maximum is the time to the last ACK.',
    labelNames: ['fleet'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: 'turnpike_leader',
    help: '1 while this replica holds the Lease and writes status (standalone: always 1), else 0.',
    registers: [this.registry],
  });
  readonly informerRestarts = new Counter({
    name: 'turnpike_informer_restarts_total',
    help: 'List/watch restarts after an error, per kind watched.',
    labelNames: ['kind'] as const, registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.leader.set(0);
  }

  /** Where turnpike_objects is counted from (Pipeline.statuses). */
  countObjectsOf(statuses: () => ReadonlyMap<string, ObjectStatus>): void {
    this.#statuses = statuses;
  }

  /** Where the snapshot gauges are measured from (the served snapshot of each fleet). */
  measureSnapshotsOf(snapshots: () => readonly Snapshot[]): void {
    this.#snapshots = snapshots;
  }

  #measureSnapshots(): void {
    for (const snapshot of this.#snapshots()) {
      for (const url of Object.values(TYPE_URLS)) {
        const resources = snapshot.types.get(url)?.resources;
        let bytes = 0;
        for (const resource of resources?.values() ?? []) bytes += resource.any.value.byteLength;
        const labels = { fleet: snapshot.fleet, type: typeLabel(url) };
        this.snapshotResources.set(labels, resources?.size ?? 0);
        this.snapshotBytes.set(labels, bytes);
      }
    }
  }

  #countObjects(): void {
    const counts = new Map<string, { labels: Record<'kind' | 'condition' | 'status' | 'reason', string>; n: number }>();
    for (const status of this.#statuses().values()) {
      const kind = status.source.kind;
      if (STATUSLESS_KINDS.has(kind)) continue;
      for (const [condition, value] of [['Accepted', status.accepted], ['ResolvedRefs', status.resolvedRefs], ['Programmed', status.programmed]] as const) {
        const key = `${kind}\0${condition}\0${value.status}\0${value.reason}`;
        const entry = counts.get(key) ?? { labels: { kind, condition, status: value.status, reason: value.reason }, n: 0 };
        entry.n += 1;
        counts.set(key, entry);
      }
    }
    this.objects.reset();
    for (const { labels, n } of counts.values()) this.objects.set(labels, n);
  }

  /** Prometheus text exposition of every metric. */
  async exposition(): Promise<{ readonly contentType: string; readonly body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
