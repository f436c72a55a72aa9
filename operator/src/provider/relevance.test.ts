import { buildResourceSet, patchResourceSet, type KindChanges } from './informers-set';
import { TranslationView, sameForTranslation } from './relevance';
import type { Kind, KubeObject, ResourceSet } from '../resources/resourceset';

const api = (name: string, extra: { generation?: number; status?: unknown; resourceVersion?: string; spec?: unknown; uid?: string } = {}): KubeObject => ({
  apiVersion: 'turnpike.dev/v1alpha1',
  kind: 'Api',
  metadata: { name, namespace: 'n', generation: extra.generation ?? 1, resourceVersion: extra.resourceVersion ?? '1', uid: extra.uid ?? 'u1', creationTimestamp: '2025-01-01T00:00:00Z' },
  spec: extra.spec ?? { path: '/a' },
  ...(extra.status === undefined ? {} : { status: extra.status }),
});

const secret = (name: string, data: Record<string, string>, resourceVersion = '1'): KubeObject => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'n', resourceVersion, annotations: { note: resourceVersion } }, type: 'Opaque', data,
});

const setOf = (objects: readonly KubeObject[]): ReturnType<typeof buildResourceSet> => {
  const byKind = new Map<Kind, KubeObject[]>();
  for (const object of objects) byKind.set(object.kind as Kind, [...(byKind.get(object.kind as Kind) ?? []), object]);
  return buildResourceSet(byKind);
};

describe('sameForTranslation', () => {
  it('ignores status, resourceVersion and annotations; sees generation, uid, Secret data, Service ports and endpoints', () => {
    expect(sameForTranslation('Api', api('a'), api('a', { status: { observedGeneration: 1 }, resourceVersion: '2' }))).toBe(true);
    expect(sameForTranslation('Api', api('a'), api('a', { generation: 2 }))).toBe(false);
    expect(sameForTranslation('Api', api('a'), api('a', { uid: 'u2' }))).toBe(false);
    expect(sameForTranslation('Secret', secret('s', { k: 'YQ==' }), secret('s', { k: 'YQ==' }, '2'))).toBe(true);
    expect(sameForTranslation('Secret', secret('s', { k: 'YQ==' }), secret('s', { k: 'Yg==' }, '2'))).toBe(false);
    const service = (port: number, status: string): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { ports: [{ port }] }, status: { note: status } });
    expect(sameForTranslation('Service', service(80, 'a'), service(80, 'b'))).toBe(true);
    expect(sameForTranslation('Service', service(80, 'a'), service(81, 'a'))).toBe(false);
    const slice = (ready: boolean): KubeObject => ({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'e', namespace: 'n', labels: { 'kubernetes.io/service-name': 's' } },
      addressType: 'IPv4', ports: [{ port: 80 }], endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready } }],
    });
    expect(sameForTranslation('EndpointSlice', slice(true), slice(false))).toBe(false);
  });

  it('compares the spec of objects without a generation (not from an API server)', () => {
    const bare = (path: string): KubeObject => ({ apiVersion: 'turnpike.dev/v1alpha1', kind: 'Api', metadata: { name: 'a', namespace: 'n' }, spec: { path } });
    expect(sameForTranslation('Api', bare('/a'), bare('/a'))).toBe(true);
    expect(sameForTranslation('Api', bare('/a'), bare('/b'))).toBe(false);
  });
});

describe('TranslationView', () => {
  it('hands out the first set, then nothing for status-only changes, keeping identities', () => {
    const view = new TranslationView();
    const first = setOf([api('a'), api('b'), secret('s', { k: 'YQ==' })]);
    expect(view.next(first)).toBe(first);
    expect(view.next(setOf([api('a', { status: { x: 1 }, resourceVersion: '2' }), api('b'), secret('s', { k: 'YQ==' }, '3')]))).toBeUndefined();
  });

  it('hands out a changed set where unchanged objects and kinds keep their previous identity', () => {
    const view = new TranslationView();
    const first = setOf([api('a'), api('b'), secret('s', { k: 'YQ==' })]);
    view.next(first);
    const edited = api('b', { generation: 2, spec: { path: '/b2' } });
    const next = view.next(setOf([api('a', { status: { x: 1 }, resourceVersion: '2' }), edited, secret('s', { k: 'YQ==' })]));
    expect(next).toBeDefined();
    expect(next?.Api.get('n/a')).toBe(first.Api.get('n/a'));
    expect(next?.Api.get('n/b')).toBe(edited);
    expect(next?.Secret).toBe(first.Secret);
    // Deleting one object and adding another of the same kind is a change too.
    const swapped = view.next(setOf([api('a'), api('c'), secret('s', { k: 'YQ==' })]));
    expect([...(swapped?.Api.keys() ?? [])]).toEqual(['n/a', 'n/c']);
    expect(view.next(setOf([api('a'), secret('s', { k: 'YQ==' })]))?.Api.size).toBe(1);
  });

  it('takes a kind whose map is the same object as in the last set as unchanged, without comparing its objects', () => {
    const view = new TranslationView();
    const first = setOf([api('a'), secret('s', { k: 'YQ==' })]);
    const firstView = view.next(first);
    const second = { ...setOf([secret('s', { k: 'Yg==' }, '2')]), Api: first.Api };
    const secondView = view.next(second);
    expect(secondView?.Api).toBe(firstView?.Api);
    expect(secondView?.Secret.get('n/s')?.data).toEqual({ k: 'Yg==' });
    expect(view.next({ ...second })).toBeUndefined();
  });

  describe('given sets patched from the last one', () => {
    const patch = (set: ResourceSet, kind: Kind, changes: KindChanges, all: readonly KubeObject[]): ResourceSet =>
      patchResourceSet(set, new Map([[kind, changes]]), () => all);

    it('looks only at the changed keys, and agrees with a full comparison', () => {
      const patchedView = new TranslationView();
      const fullView = new TranslationView();
      let set = setOf([api('a'), api('b'), api('c'), secret('s', { k: 'YQ==' })]);
      patchedView.next(set);
      fullView.next(set);
      const steps: [Kind, KindChanges, KubeObject[]][] = [
        ['Api', new Map([['n/b', api('b', { status: { x: 1 }, resourceVersion: '2' })]]), []],
        ['Api', new Map([['n/b', api('b', { generation: 2, spec: { path: '/b2' }, resourceVersion: '3' })]]), []],
        ['Secret', new Map([['n/s', secret('s', { k: 'Yg==' }, '4')]]), []],
        ['Api', new Map([['n/d', api('d')]]), [api('a'), api('b', { generation: 2 }), api('c'), api('d')]],
        ['Api', new Map([['n/a', undefined]]), [api('b', { generation: 2 }), api('c'), api('d')]],
      ];
      for (const [kind, changes, all] of steps) {
        set = patch(set, kind, changes, all);
        const patched = patchedView.next(set);
        const full = fullView.next({ ...set });
        expect(patched === undefined).toBe(full === undefined);
        for (const k of ['Api', 'Secret'] as const) expect([...(patched?.[k] ?? new Map()).entries()]).toEqual([...(full?.[k] ?? new Map()).entries()]);
      }
    });

    it('keeps the map order and the identity of objects that did not change for translation', () => {
      const view = new TranslationView();
      const first = setOf([api('a'), api('b'), api('c')]);
      view.next(first);
      const echo = patch(first, 'Api', new Map([['n/a', api('a', { status: { x: 1 }, resourceVersion: '2' })]]), []);
      expect(view.next(echo)).toBeUndefined();
      const edited = api('b', { generation: 2, spec: { path: '/b2' } });
      const next = view.next(patch(echo, 'Api', new Map([['n/b', edited]]), []));
      expect([...(next?.Api.keys() ?? [])]).toEqual(['n/a', 'n/b', 'n/c']);
      expect(next?.Api.get('n/a')).toBe(first.Api.get('n/a'));
      expect(next?.Api.get('n/b')).toBe(edited);
      expect(next?.Secret).toBe(first.Secret);
    });
  });
});
