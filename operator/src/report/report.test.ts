import { SnapshotCache, TYPE_URLS, type NodeAckState } from '@turnpike/xds-server';
import { world } from '../../../xds-server/src/snapshot/fixtures';
import type { ObjectStatus } from '../pipeline';
import { renderStatus } from './render';
import { statusReport } from './report';

const condition = (status: 'True' | 'False', reason: ObjectStatus['accepted']['reason'], message = ''): ObjectStatus['accepted'] => ({ status, reason, message });

describe('turnpike status', () => {
  const cache = new SnapshotCache();
  const set = cache.set('gw', world({ listenerPort: 10000, clusters: ['a'], endpoint: { address: '127.0.0.1', port: 1 } }));
  const served = set.status === 'updated' ? set.snapshot.version : '';
  const node = (nodeId: string, synced: string | undefined, streams = 1, nack?: string): NodeAckState => ({
    nodeId, fleet: 'gw', streams, syncedSnapshotVersion: synced, syncedTypeUrls: [],
    types: new Map(nack === undefined ? [] : [[TYPE_URLS.secret, { nacked: { version: 'v', snapshotVersion: 'x', errorMessage: nack, resourceNames: [] } }]]),
  });
  const statuses = new Map<string, ObjectStatus>([
    ['a', { source: { kind: 'Api', namespace: 'ns', name: 'hello' }, generation: 3, fields: {}, accepted: condition('True', 'Accepted'), resolvedRefs: condition('True', 'ResolvedRefs'), programmed: condition('True', 'Programmed') }],
    ['g', { source: { kind: 'ApiGroup', namespace: 'ns', name: 'broken' }, generation: 1, fields: {}, accepted: condition('True', 'Accepted'), resolvedRefs: condition('True', 'ResolvedRefs'), programmed: condition('False', 'Rejected', 'Envoy rejected\nthe certificate') }],
    ['s', { source: { kind: 'Secret', namespace: 'ns', name: 'tls' }, generation: 1, fields: {}, accepted: condition('True', 'Accepted'), resolvedRefs: condition('True', 'ResolvedRefs'), programmed: condition('True', 'Programmed') }],
  ]);
  const report = statusReport({
    fleets: ['gw', 'gw:ratelimit'], cache,
    nodes: (fleet) => (fleet === 'gw' ? [node('envoy-1', served), node('envoy-2', 'old', 1, 'bad certificate'), node('gone', served, 0)] : []),
    statuses: () => statuses,
  });

  it('reports connected clients with what they ACKed and NACKed, and objects with status of their own', () => {
    expect(report.fleets).toEqual([
      { fleet: 'gw', snapshotVersion: served, nodes: [
        { nodeId: 'envoy-1', streams: 1, syncedVersion: served, nacks: [] },
        { nodeId: 'envoy-2', streams: 1, syncedVersion: 'old', nacks: [{ type: 'Secret', message: 'bad certificate' }] },
      ] },
      { fleet: 'gw:ratelimit', snapshotVersion: null, nodes: [] },
    ]);
    expect(report.objects.map((o) => `${o.kind}/${o.name}`)).toEqual(['Api/hello', 'ApiGroup/broken']);
  });

  it('prints it as kubectl get does', () => {
    expect(renderStatus(report).split('\n')).toEqual([
      'FLEET          NODE               STREAMS   ACKED SNAPSHOT     CURRENT   NACKED',
      `gw             envoy-1            1         ${served}   True      -`,
      'gw             envoy-2            1         old                False     Secret: bad certificate',
      'gw:ratelimit   (none connected)             -',
      '',
      'KIND       NAMESPACE   NAME     GENERATION   ACCEPTED   RESOLVEDREFS   PROGRAMMED   MESSAGE',
      'Api        ns          hello    3            True       True           True',
      'ApiGroup   ns          broken   1            True       True           False        Programmed Rejected: Envoy rejected the certificate',
      '',
    ]);
  });
});
