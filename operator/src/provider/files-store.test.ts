import { ManifestStore } from './files-store';
import type { KubeObject, ResourceSet } from '../resources/resourceset';

const api = (name: string, path: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'turnpike.dev/v1alpha1', kind: 'Api', metadata: { name, generation: 1, ...extra }, spec: { path },
});
const generations = (set: ResourceSet): Record<string, number | undefined> =>
  Object.fromEntries([...set.Api].map(([key, object]) => [key, object.metadata.generation]));

describe('ManifestStore', () => {
  it('keeps a generation while the content holds, counts edits, and starts again for an object re-added', () => {
    const store = new ManifestStore('n');
    store.put('a.yaml', [api('a', '/a'), api('b', '/b')]);
    const first = store.next();
    expect(generations(first)).toEqual({ 'n/a': 1, 'n/b': 1 });
    store.put('a.yaml', [api('a', '/a'), api('b', '/b2')]);
    const second = store.next();
    expect(generations(second)).toEqual({ 'n/a': 1, 'n/b': 2 });
    expect(second.Api.get('n/a')).toBe(first.Api.get('n/a')); // unchanged text: the object itself
    // Only metadata changed (labels): a new object, no new generation.
    store.put('a.yaml', [api('a', '/a'), api('b', '/b2', { labels: { x: 'y' } })]);
    const labelled = store.next();
    expect(labelled.Api.get('n/b')?.metadata.labels).toEqual({ x: 'y' });
    expect(generations(labelled)).toEqual({ 'n/a': 1, 'n/b': 2 });
    // A field named status inside the spec is content.
    store.put('a.yaml', [api('a', '/a'), { ...api('b', '/b2', { labels: { x: 'y' } }), spec: { path: '/b2', mock: { status: 201 } } }]);
    expect(generations(store.next())).toEqual({ 'n/a': 1, 'n/b': 3 });
    store.remove('a.yaml');
    expect(generations(store.next())).toEqual({});
    store.put('a.yaml', [api('b', '/b4')]);
    expect(generations(store.next())).toEqual({ 'n/b': 1 });
  });

  it('returns the same set when nothing changed, and patches only the kinds that did', () => {
    const store = new ManifestStore();
    store.put('g.yaml', [{ apiVersion: 'turnpike.dev/v1alpha1', kind: 'ApiGroup', metadata: { name: 'g' } }, api('a', '/a')]);
    const first = store.next();
    store.put('g.yaml', [{ apiVersion: 'turnpike.dev/v1alpha1', kind: 'ApiGroup', metadata: { name: 'g' } }, api('a', '/a')]);
    expect(store.next()).toBe(first);
    store.put('g.yaml', [{ apiVersion: 'turnpike.dev/v1alpha1', kind: 'ApiGroup', metadata: { name: 'g' } }, api('a', '/a2')]);
    const second = store.next();
    expect(second).not.toBe(first);
    expect(second.ApiGroup).toBe(first.ApiGroup);
    expect(second.Api.get('default/a')?.spec).toEqual({ path: '/a2' });
  });

  it('serves an object moved between files as an update, and a key in two files from the last one', () => {
    const store = new ManifestStore();
    store.put('a.yaml', [api('x', '/x'), api('y', '/y')]);
    const first = store.next();
    // Moved with the same text, in one load: the very object, no change.
    store.put('a.yaml', [api('y', '/y')]);
    store.put('b.yaml', [api('x', '/x')]);
    expect(store.next()).toBe(first);
    // Moved back with an edit: one update.
    store.put('a.yaml', [api('y', '/y'), api('x', '/x2')]);
    store.remove('b.yaml');
    expect(generations(store.next())).toEqual({ 'default/x': 2, 'default/y': 1 });
    // Held twice: the last file in path order wins, and the other takes over when it goes.
    store.put('c.yaml', [api('x', '/x3')]);
    expect(store.next().Api.get('default/x')?.spec).toEqual({ path: '/x3' });
    store.remove('c.yaml');
    expect(store.next().Api.get('default/x')?.spec).toEqual({ path: '/x2' });
  });

  it('leaves out objects of other kinds and keeps every key sorted after additions', () => {
    const store = new ManifestStore();
    const ignored = store.put('a.yaml', [api('m', '/m'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }]);
    expect(ignored.map((o) => o.kind)).toEqual(['ConfigMap']);
    store.next();
    store.put('b.yaml', [api('c', '/c'), api('z', '/z')]);
    expect([...store.next().Api.keys()]).toEqual(['default/c', 'default/m', 'default/z']);
    expect(Object.isFrozen(store.next().Api.get('default/c')?.metadata)).toBe(true);
  });
});
