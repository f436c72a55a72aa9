import { buildResourceSet, patchResourceSet } from '../provider/informers-set';
import type { Kind, KubeObject, ResourceSet } from '../resources/resourceset';
import { ObservedObjects } from './observed';

const api = (name: string, resourceVersion: string, status?: unknown): KubeObject => ({
  apiVersion: 'turnpike.dev/v1alpha1',
  kind: 'Api',
  metadata: { name, namespace: 'n', generation: 1, resourceVersion, uid: `uid-${name}` },
  spec: {},
  ...(status === undefined ? {} : { status }),
});

const setOf = (objects: readonly KubeObject[]): ResourceSet => buildResourceSet(new Map<Kind, KubeObject[]>([['Api', [...objects]]]));
const patch = (set: ResourceSet, key: string, object: KubeObject | undefined, all: readonly KubeObject[] = []): ResourceSet =>
  patchResourceSet(set, new Map([['Api', new Map([[key, object]])]]), () => all);

describe('ObservedObjects', () => {
  it('takes a first set in full, every entry new', () => {
    const observed = new ObservedObjects();
    expect(observed.follow(setOf([api('a', '1'), api('b', '2')]))).toEqual([{ key: 'Api/n/a', before: undefined }, { key: 'Api/n/b', before: undefined }]);
    expect(observed.get('Api/n/b')).toEqual({ resourceVersion: '2', uid: 'uid-b', generation: 1, status: undefined });
  });

  it('follows a patched set by its changed keys: an update, an addition, a deletion', () => {
    const observed = new ObservedObjects();
    const first = setOf([api('a', '1'), api('b', '2')]);
    observed.follow(first);
    const before = observed.get('Api/n/a');
    const echo = patch(first, 'n/a', api('a', '3', { observedGeneration: 1 }));
    expect(observed.follow(echo)).toEqual([{ key: 'Api/n/a', before }]);
    expect(observed.get('Api/n/a')?.resourceVersion).toBe('3');
    const added = patch(echo, 'n/c', api('c', '4'), [api('a', '3'), api('b', '2'), api('c', '4')]);
    expect(observed.follow(added)).toEqual([{ key: 'Api/n/c', before: undefined }]);
    expect(observed.follow(patch(added, 'n/b', undefined, [api('a', '3'), api('c', '4')]))).toEqual([]);
    expect(observed.get('Api/n/b')).toBeUndefined();
    expect(observed.get('Api/n/c')?.resourceVersion).toBe('4');
  });

  it('compares in full a set that was not patched from the last one, reporting only what changed', () => {
    const observed = new ObservedObjects();
    const a = api('a', '1');
    observed.follow(setOf([a, api('b', '2')]));
    const changes = observed.follow(setOf([a, api('b', '5')]));
    expect(changes.map((c) => [c.key, c.before?.resourceVersion])).toEqual([['Api/n/b', '2']]);
    expect(observed.follow(setOf([a]))).toEqual([]);
    expect(observed.get('Api/n/b')).toBeUndefined();
  });

  it('forgets a deleted entry until its object changes again', () => {
    const observed = new ObservedObjects();
    const first = setOf([api('a', '1')]);
    observed.follow(first);
    observed.delete('Api/n/a');
    expect(observed.get('Api/n/a')).toBeUndefined();
    observed.follow(patch(first, 'n/a', api('a', '2')));
    expect(observed.get('Api/n/a')?.resourceVersion).toBe('2');
  });
});
