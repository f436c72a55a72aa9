import { LazyJson, TYPE_URLS } from '../proto';
import { SnapshotCache } from './cache';
import { routeConfiguration, resourceInput, world } from './fixtures';
import type { Snapshot } from './types';

const endpoint = { address: '127.0.0.1', port: 9000 };

describe('SnapshotCache', () => {
  it('serves valid snapshots, skips unchanged ones and notifies watchers of changes only', () => {
    const cache = new SnapshotCache();
    const seen: Snapshot[] = [];
    const stop = cache.watch('f', (s) => seen.push(s));
    const first = cache.set('f', world({ listenerPort: 1, clusters: ['a'], endpoint }));
    expect(first.status).toBe('updated');
    expect(cache.set('f', world({ listenerPort: 1, clusters: ['a'], endpoint })).status).toBe('unchanged');
    const second = cache.set('f', world({ listenerPort: 1, clusters: ['a', 'b'], endpoint }));
    expect(second.status === 'updated' && second.previous?.version).toBe(first.status === 'updated' && first.snapshot.version);
    expect(seen.map((s) => s.version)).toEqual([first, second].map((r) => (r.status === 'updated' ? r.snapshot.version : '')));
    stop();
    cache.set('f', world({ listenerPort: 2, clusters: ['a'], endpoint }));
    expect(seen).toHaveLength(2);
  });

  it('builds a LazyJson resource once, however many snapshots it is in, and serves what it builds', () => {
    const cache = new SnapshotCache();
    const build = jest.fn(() => routeConfiguration('routes', [{ prefix: '/a', cluster: 'a' }]));
    const routes = new LazyJson(build);
    const input = world({ listenerPort: 1, clusters: ['a'], endpoint });
    const withLazy = new Map(input).set(TYPE_URLS.routeConfiguration, new Map([['routes', routes]]));
    const first = cache.set('f', withLazy);
    expect(first.status).toBe('updated');
    expect(cache.set('f', withLazy).status).toBe('unchanged');
    expect(cache.set('g', withLazy).status).toBe('updated');
    expect(build).toHaveBeenCalledTimes(1);
    // The same content as plain JSON: the same version.
    expect(cache.set('f', input).status).toBe('unchanged');
  });

  it('never serves a snapshot that fails validation; the last good one stays', () => {
    const cache = new SnapshotCache();
    const good = cache.set('f', world({ listenerPort: 1, clusters: ['a'], endpoint }));
    const watcher = jest.fn();
    cache.watch('f', watcher);
    const bad = cache.set('f', resourceInput({ [TYPE_URLS.routeConfiguration]: [routeConfiguration('routes', [{ prefix: '/', cluster: 'nope' }])] }));
    expect(bad.status).toBe('rejected');
    expect(bad.status === 'rejected' && bad.served?.version).toBe(good.status === 'updated' && good.snapshot.version);
    expect(cache.get('f')?.version).toBe(good.status === 'updated' && good.snapshot.version);
    expect(watcher).not.toHaveBeenCalled();
  });

  it('keeps fleets apart and isolates throwing watchers', () => {
    const errors: unknown[] = [];
    const cache = new SnapshotCache({ onWatcherError: (err) => errors.push(err) });
    const other = jest.fn();
    cache.watch('f', () => { throw new Error('boom'); });
    cache.watch('f', other);
    cache.set('f', world({ listenerPort: 1, clusters: ['a'], endpoint }));
    cache.set('g', world({ listenerPort: 1, clusters: ['b'], endpoint }));
    expect(other).toHaveBeenCalledTimes(1);
    expect(errors).toHaveLength(1);
    expect(cache.fleets()).toEqual(['f', 'g']);
  });
});
