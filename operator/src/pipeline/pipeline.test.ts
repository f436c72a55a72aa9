// The pipeline's pass discipline: one Translator across updates, nothing served or re-derived for
// an unchanged world, and unchanged statuses handed to listeners as the same objects.
import { SnapshotCache, TYPE_URLS, type NodeAckState } from '@turnpike/xds-server';
import { buildResourceSet } from '../provider/informers-set';
import type { Kind, KubeObject, ResourceSet } from '../resources/resourceset';
import { createLogger } from '../log';
import { testGateway, validate } from '../translate/testing';
import { Pipeline, type ObjectStatus } from './pipeline';

const object = (kind: string, name: string, spec: Record<string, unknown>, generation = 1): KubeObject => ({
  apiVersion: 'turnpike.dev/v1alpha1', kind, metadata: { name, namespace: 'team', generation, creationTimestamp: '2026-01-01T00:00:00Z' }, spec,
});
const api = (name: string, body: string, generation = 1): KubeObject =>
  object('Api', name, { groupRef: { name: 'shop' }, method: 'GET', path: `/${name}`, backend: { mock: { body } } }, generation);

function setOf(objects: readonly KubeObject[]): ResourceSet {
  const byKind = new Map<Kind, KubeObject[]>();
  for (const o of objects) byKind.set(o.kind as Kind, [...(byKind.get(o.kind as Kind) ?? []), o]);
  return buildResourceSet(byKind);
}

describe('Pipeline', () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug', write: (line) => { lines.push(line); } });
  const served = (): number => lines.filter((line) => line.includes('"msg":"serving snapshot"')).length;

  it('serves a changed world once, and neither serves nor notifies for the same world again', () => {
    const pipeline = new Pipeline({ gateway: testGateway, validate, cache: new SnapshotCache(), nodes: () => [], log });
    const heard: ReadonlyMap<string, ObjectStatus>[] = [];
    pipeline.onStatuses((statuses) => { heard.push(statuses); });
    const group = object('ApiGroup', 'shop', {});
    const world = [group, api('a', 'one'), api('b', 'one')];
    pipeline.update(setOf(world));
    expect([served(), heard.length]).toEqual([1, 1]);
    pipeline.update(setOf(world));
    pipeline.refresh();
    expect([served(), heard.length]).toEqual([1, 1]);

    pipeline.update(setOf([group, api('a', 'one'), api('b', 'two', 2)]));
    expect([served(), heard.length]).toEqual([2, 2]);
    const [first, second] = heard;
    expect(second?.get('Api/team/a')).toBe(first?.get('Api/team/a'));
    expect(second?.get('Api/team/b')?.generation).toBe(2);
  });

  it('re-derives statuses through its scheduler, once for every burst of requests', () => {
    const queued: (() => void)[] = [];
    const pipeline = new Pipeline({ gateway: testGateway, validate, cache: new SnapshotCache(), nodes: () => [], log, schedule: (refresh) => { queued.push(refresh); } });
    const heard: ReadonlyMap<string, ObjectStatus>[] = [];
    pipeline.onStatuses((statuses) => { heard.push(statuses); });
    pipeline.update(setOf([object('ApiGroup', 'shop', {}), api('a', 'one')]));
    pipeline.requestRefresh();
    pipeline.requestRefresh();
    expect([queued.length, heard.length]).toEqual([1, 0]);
    queued.shift()?.();
    expect(heard.length).toBe(1);
    expect(heard[0]?.get('Api/team/a')?.accepted.status).toBe('True');
    pipeline.requestRefresh();
    expect(queued.length).toBe(1);
  });

  it('splits Fast limits anew when an Envoy connects or goes, changing nothing but the Fast filter\'s configuration', () => {
    const cache = new SnapshotCache();
    const nodes: NodeAckState[] = [];
    const node = (nodeId: string): NodeAckState => ({ nodeId, fleet: testGateway.fleet, streams: 1, syncedSnapshotVersion: undefined, syncedTypeUrls: [], types: new Map() });
    const pipeline = new Pipeline({ gateway: testGateway, validate, cache, nodes: () => nodes, log });
    const policy = object('ThrottlePolicy', 'fast', { targetRefs: [{ kind: 'Api', name: 'a' }], window: { unit: 'SECOND' }, limits: { api: 7 } });
    pipeline.update(setOf([object('ApiGroup', 'shop', {}), api('a', 'one'), policy]));
    const versions = (): Map<string, string> => new Map([...(cache.get(testGateway.fleet)?.types ?? [])].map(([type, t]) => [type, t.version]));
    // The Fast filter's configuration as served (its share is checked against Envoy in e2e/specs/policies/fast-throttle.spec.ts).
    const fast = (): string | undefined => cache.get(testGateway.fleet)?.types.get(TYPE_URLS.extensionConfig)?.resources.get('turnpike.throttle.fast')?.hash;
    nodes.push(node('one'));
    pipeline.refresh();
    const alone = versions();
    const whole = fast();
    nodes.push(node('two'));
    pipeline.refresh();
    expect(fast()).not.toBe(whole);
    const changed = [...versions()].filter(([type, version]) => alone.get(type) !== version).map(([type]) => type);
    expect(changed).toEqual([TYPE_URLS.extensionConfig]);
    nodes.pop();
    pipeline.refresh();
    expect([versions(), fast()]).toEqual([alone, whole]);
  });
});
