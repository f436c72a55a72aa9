import { shareUnchanged } from './share';

describe('shareUnchanged', () => {
  it('returns the original when defaulting changed nothing', () => {
    const original = Object.freeze({ a: 1, b: Object.freeze({ c: 'x' }) });
    expect(shareUnchanged(original, { a: 1, b: { c: 'x' } })).toBe(original);
  });

  it('keeps what defaults added and shares every unchanged subtree', () => {
    const backend = Object.freeze({ mock: Object.freeze({ body: 'hi', headers: Object.freeze({ 'content-type': 'text/plain' }) }) });
    const original = Object.freeze({ path: '/a', backend, environments: Object.freeze(['RELEASE']) });
    const copy = { path: '/a', backend: { mock: { body: 'hi', headers: { 'content-type': 'text/plain' }, status: 200 } }, environments: ['RELEASE'], matchMode: 'Exact' };
    const shared = shareUnchanged(original, structuredClone(copy)) as typeof copy;
    expect(shared).toEqual(copy);
    expect(shared.environments).toBe(original.environments);
    expect(shared.backend.mock.headers).toBe(backend.mock.headers);
    expect(shared.backend.mock).not.toBe(backend.mock);
  });

  it('leaves arrays and objects of different shapes alone', () => {
    expect(shareUnchanged([1], { 0: 1 })).toEqual({ 0: 1 });
    expect(shareUnchanged(undefined, {})).toEqual({});
  });
});
