// Files mode's generation counter: the API server's part for manifests.
import type { KubeObject } from './resourceset';
import { GenerationCounter } from './files';

const api = (name: string, path: string, generation?: number): KubeObject => ({
  apiVersion: 'turnpike.dev/v1alpha1', kind: 'Api', metadata: { name, namespace: 'n', ...(generation === undefined ? {} : { generation }) }, spec: { path },
});
const generations = (objects: readonly KubeObject[]): (number | undefined)[] => objects.map((o) => o.metadata.generation);

describe('GenerationCounter', () => {
  it('keeps a generation while the content holds, counts edits, and starts again for an object re-added', () => {
    const counter = new GenerationCounter();
    expect(generations(counter.apply([api('a', '/a', 1), api('b', '/b', 1)]))).toEqual([1, 1]);
    const same = api('a', '/a', 1);
    expect(counter.apply([same, api('b', '/b2', 1)])[0]).toBe(same); // unchanged: the object itself
    expect(generations(counter.apply([api('a', '/a', 1), api('b', '/b3', 1)]))).toEqual([1, 3]);
    // Only metadata changed (labels): no new generation.
    const labelled = { ...api('b', '/b3', 1), metadata: { name: 'b', namespace: 'n', generation: 1, labels: { x: 'y' } } };
    expect(generations(counter.apply([labelled]))).toEqual([3]);
    // A field named status inside the spec is content.
    expect(generations(counter.apply([{ ...labelled, spec: { path: '/b3', mock: { status: 201 } } }]))).toEqual([4]);
    expect(generations(counter.apply([]))).toEqual([]);
    expect(generations(counter.apply([api('b', '/b4', 1)]))).toEqual([1]);
  });
});
