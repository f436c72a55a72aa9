// The SnapshotCache encodes a resource object once: unchanged objects are reused by identity, and
// the validation gate stays exact.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { defaultRegistry, TYPE_URLS, type JsonObject, type ResourceJson } from '../proto';
import { buildSnapshot } from './build';
import { SnapshotCache, type SetResult } from './cache';
import { ResourceEncoder } from './encoder';
import { edsCluster, loadAssignment, routeConfiguration, world } from './fixtures';
import type { ResourceInput, Snapshot } from './types';

const endpoint = { address: '127.0.0.1', port: 9000 };
const registry = defaultRegistry();
const RDS = TYPE_URLS.routeConfiguration;

/** `input` with one resource replaced (or removed, when `json` is undefined); other objects are the same. */
function replaced(input: ResourceInput, typeUrl: string, name: string, json: JsonObject | undefined): ResourceInput {
  const out = new Map([...input].map(([t, m]) => [t, new Map(m)]));
  const type = out.get(typeUrl) ?? new Map<string, JsonObject>();
  if (json === undefined) type.delete(name);
  else type.set(name, json);
  return out.set(typeUrl, type);
}

function served(result: SetResult): Snapshot {
  if (result.status === 'rejected') throw new Error(JSON.stringify(result.problems));
  return result.snapshot;
}

function count(input: ResourceInput): number {
  return [...input.values()].reduce((n, m) => n + m.size, 0);
}

/** Resources encoded (a RouteConfiguration's virtual hosts and routes are encoded as parts of it, route-splice.ts). */
const PARTS = new Set(['type.googleapis.com/envoy.config.route.v3.VirtualHost', 'type.googleapis.com/envoy.config.route.v3.Route']);
const resourcesEncoded = (spy: jest.SpyInstance): number => spy.mock.calls.filter(([typeUrl]) => !PARTS.has(String(typeUrl))).length;

describe('SnapshotCache: encodings cached per resource object', () => {
  let encode: jest.SpyInstance;
  beforeEach(() => { encode = jest.spyOn(registry, 'encodeVisiting'); });
  afterEach(() => { encode.mockRestore(); });

  it('never encodes the same object twice; a changed object alone is encoded, its type alone moves', () => {
    const cache = new SnapshotCache({ registry });
    const input = world({ listenerPort: 1, clusters: ['a', 'b'], endpoint });
    const first = served(cache.set('f', input));
    expect(resourcesEncoded(encode)).toBe(count(input));

    encode.mockClear();
    expect(cache.set('f', input).status).toBe('unchanged');
    expect(cache.set('f', new Map(input)).status).toBe('unchanged');
    expect(encode).not.toHaveBeenCalled();

    const edited = replaced(input, RDS, 'routes', routeConfiguration('routes', [{ prefix: '/x', cluster: 'a' }]));
    const second = served(cache.set('f', edited));
    expect(resourcesEncoded(encode)).toBe(1);
    expect(second.types.get(RDS)?.version).not.toBe(first.types.get(RDS)?.version);
    for (const t of [TYPE_URLS.listener, TYPE_URLS.cluster, TYPE_URLS.clusterLoadAssignment]) {
      expect(second.types.get(t)).toBe(first.types.get(t));
    }
  });

  it('looks only at the replaced resources when an input keeps the last one\'s names in order, with a full build\'s result', () => {
    const cache = new SnapshotCache({ registry });
    const names = ['r1', 'r2', 'r3', 'routes'];
    const routes = new Map(names.map((name) => [name, routeConfiguration(name, [{ prefix: `/${name}`, cluster: 'a' }])]));
    const input = new Map([...world({ listenerPort: 1, clusters: ['a'], endpoint })]).set(RDS, routes);
    const first = served(cache.set('f', input));
    const looked = jest.spyOn(ResourceEncoder.prototype, 'encode');
    try {
      const edited = new Map(input).set(RDS, new Map([...routes].map(([name, json]) => [name, name === 'r3' ? routeConfiguration('r3', [{ prefix: '/new', cluster: 'a' }]) : json])));
      const second = served(cache.set('f', edited));
      expect(looked.mock.calls.map(([typeUrl, name]) => [typeUrl, name])).toEqual([[RDS, 'r3']]);
      expect(second.types.get(RDS)?.patchOf?.changed.map((r) => r.name)).toEqual(['r3']);
      expect(second.types.get(TYPE_URLS.cluster)).toBe(first.types.get(TYPE_URLS.cluster));
      const fresh = buildSnapshot('f', edited, { registry });
      expect(fresh.ok && [...fresh.snapshot.types].map(([t, type]) => [t, type.version, [...type.resources.keys()]])).toEqual([...second.types].map(([t, type]) => [t, type.version, [...type.resources.keys()]]));
      // Names in another order: every resource is looked at again, and the order served stays by name.
      looked.mockClear();
      const reordered = served(cache.set('f', new Map(edited).set(RDS, new Map([...(edited.get(RDS) ?? [])].reverse()))));
      expect(looked.mock.calls.filter(([typeUrl]) => typeUrl === RDS)).toHaveLength(names.length);
      expect([...(reordered.types.get(RDS)?.resources.keys() ?? [])]).toEqual(names);
      expect(reordered.version).toBe(second.version);
    } finally {
      looked.mockRestore();
    }
  });

  it('gives equal content from other object instances the same version (encoding it again)', () => {
    const cache = new SnapshotCache({ registry });
    const first = served(cache.set('f', world({ listenerPort: 1, clusters: ['a', 'b'], endpoint })));
    encode.mockClear();
    const again = cache.set('f', world({ listenerPort: 1, clusters: ['a', 'b'], endpoint }));
    expect(again).toEqual({ status: 'unchanged', snapshot: first });
    expect(encode).toHaveBeenCalled();
    // And matches a from-scratch build of the same content (no cache, no previous snapshot).
    const fresh = buildSnapshot('f', world({ listenerPort: 1, clusters: ['a', 'b'], endpoint }), { registry });
    expect(fresh.ok && fresh.snapshot.version).toBe(first.version);
  });

  it('keeps caches apart: another SnapshotCache encodes the same objects itself', () => {
    const input = world({ listenerPort: 1, clusters: ['a'], endpoint });
    new SnapshotCache({ registry }).set('f', input);
    encode.mockClear();
    new SnapshotCache({ registry }).set('f', input);
    expect(resourcesEncoded(encode)).toBe(count(input));
  });

  it('encodes an object again when it is keyed under another name, and rejects the mismatch', () => {
    const cache = new SnapshotCache({ registry });
    const cluster = edsCluster('a');
    served(cache.set('f', new Map([[TYPE_URLS.cluster, new Map([['a', cluster]])], [TYPE_URLS.clusterLoadAssignment, new Map([['a', loadAssignment('a', [endpoint])]])]])));
    encode.mockClear();
    const moved = cache.set('f', new Map([[TYPE_URLS.cluster, new Map([['x', cluster]])]]));
    expect(encode).toHaveBeenCalledTimes(1);
    expect(moved.status === 'rejected' ? moved.problems.map((p) => [p.kind, p.name]) : []).toEqual([['name-mismatch', 'x']]);
  });
});

describe('SnapshotCache: the validation gate with cached resources', () => {
  let encode: jest.SpyInstance;
  beforeEach(() => { encode = jest.spyOn(registry, 'encodeVisiting'); });
  afterEach(() => { encode.mockRestore(); });

  it('checks references of unchanged resources on every set: removing a used cluster is rejected', () => {
    const cache = new SnapshotCache({ registry });
    const input = world({ listenerPort: 1, clusters: ['a', 'b'], endpoint });
    const good = served(cache.set('f', input));
    const withoutB = replaced(replaced(input, TYPE_URLS.cluster, 'b', undefined), TYPE_URLS.clusterLoadAssignment, 'b', undefined);
    const result = cache.set('f', withoutB);
    expect(result.status === 'rejected' ? result.problems.map((p) => `${p.kind} ${p.name} → ${p.missing?.name ?? ''}`) : []).toEqual(['dangling-reference routes → b']);
    expect(cache.get('f')).toBe(good);
  });

  it('checks a changed resource when no name is gone: an edited route to a missing cluster is rejected, back to a present one served', () => {
    const cache = new SnapshotCache({ registry });
    const input = world({ listenerPort: 1, clusters: ['a', 'b'], endpoint });
    const good = served(cache.set('f', input));
    const dangling = cache.set('f', replaced(input, RDS, 'routes', routeConfiguration('routes', [{ prefix: '/x', cluster: 'zz' }])));
    expect(dangling.status === 'rejected' ? dangling.problems.map((p) => `${p.kind} ${p.name} → ${p.missing?.name ?? ''}`) : []).toEqual(['dangling-reference routes → zz']);
    expect(cache.get('f')).toBe(good);
    expect(cache.set('f', replaced(input, RDS, 'routes', routeConfiguration('routes', [{ prefix: '/x', cluster: 'b' }]))).status).toBe('updated');
  });

  it('reports a cached encoding problem on every set, with its path, and keeps serving the last good snapshot', () => {
    const cache = new SnapshotCache({ registry });
    const input = world({ listenerPort: 1, clusters: ['a'], endpoint });
    const good = served(cache.set('f', input));
    const bad = replaced(input, TYPE_URLS.cluster, 'a', { ...edsCluster('a'), connect_timeout: 'soon' });
    const problems = (r: SetResult): unknown => (r.status === 'rejected' ? r.problems.map((p) => [p.kind, p.name, p.path]) : r.status);
    // The cluster is not in the snapshot, so the routes that use it dangle too.
    const expected = [['encoding', 'a', 'connect_timeout'], ['dangling-reference', 'routes', 'virtual_hosts[0].routes[0].route.cluster']];
    expect(problems(cache.set('f', bad))).toEqual(expected);
    encode.mockClear();
    const again = cache.set('f', bad);
    expect(problems(again)).toEqual(expected);
    expect(again.status === 'rejected' && again.served).toBe(good);
    expect(encode).not.toHaveBeenCalled();
    expect(cache.set('f', input)).toEqual({ status: 'unchanged', snapshot: good });
  });

  it('serves resources in name order whatever the input order, new names included', () => {
    const cache = new SnapshotCache({ registry });
    const input = world({ listenerPort: 1, clusters: ['b', 'a'], endpoint });
    const first = served(cache.set('f', input));
    expect([...(first.types.get(TYPE_URLS.cluster)?.resources.keys() ?? [])]).toEqual(['a', 'b']);
    const more = replaced(replaced(input, TYPE_URLS.cluster, '0a', edsCluster('0a')), TYPE_URLS.clusterLoadAssignment, '0a', loadAssignment('0a', [endpoint]));
    const second = served(cache.set('f', more));
    expect([...(second.types.get(TYPE_URLS.cluster)?.resources.keys() ?? [])]).toEqual(['0a', 'a', 'b']);
    const fresh = buildSnapshot('f', more, { registry });
    expect(fresh.ok && fresh.snapshot.version).toBe(second.version);
  });
});

describe('SnapshotCache: memory', () => {
  // A full GC on demand (the flag can be set at run time; the function comes from a new context).
  function collect(): void {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  }

  it('does not keep input objects alive once the world no longer holds them', async () => {
    const cache = new SnapshotCache({ registry });
    const first = ((): WeakRef<ResourceJson> => {
      const input = world({ listenerPort: 1, clusters: ['a'], endpoint });
      served(cache.set('f', input));
      const routes = input.get(RDS)?.get('routes');
      if (routes === undefined) throw new Error('no routes');
      return new WeakRef(routes);
    })();
    served(cache.set('f', world({ listenerPort: 2, clusters: ['a'], endpoint })));
    // WeakRef targets stay alive until the current job ends.
    await new Promise((resolve) => { setImmediate(resolve); });
    collect();
    expect(first.deref()).toBeUndefined();
  });
});
