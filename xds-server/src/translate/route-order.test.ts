import type { RouteIR } from '../ir';
import { compareRoutes } from './route-order';
import { route } from './testing/builder';

const label = (r: RouteIR): string => `${r.match} ${r.method} ${r.path.segments.map((s) => (s.kind === 'Literal' ? s.value : `{${s.kind}}`)).join('/')}`;
const order = (routes: RouteIR[]): string[] => [...routes].sort(compareRoutes).map(label);

describe('route order (first match wins)', () => {
  it('puts exact routes before prefix routes', () => {
    expect(order([route('p', { path: '/a', match: 'Prefix' }), route('e', { path: '/a/b' })])).toEqual(['Exact GET a/b', 'Prefix GET a']);
  });

  it('puts literal before {param} before {param+}', () => {
    expect(order([
      route('greedy', { path: '/users/{rest+}' }),
      route('param', { path: '/users/{id}' }),
      route('literal', { path: '/users/me' }),
    ])).toEqual(['Exact GET users/me', 'Exact GET users/{Param}', 'Exact GET users/{Greedy}']);
  });

  it('puts a longer prefix first, and a trailing-slash prefix after everything it covers', () => {
    expect(order([
      route('root', { path: '/', match: 'Prefix' }),
      route('test', { path: '/test', match: 'Prefix' }),
      route('slash', { path: '/test/', match: 'Prefix' }),
      route('aa', { path: '/test/AA', match: 'Prefix' }),
      route('id', { path: '/test/{id}', match: 'Prefix' }),
    ])).toEqual(['Prefix GET test/AA', 'Prefix GET test/{Param}', 'Prefix GET test/', 'Prefix GET test', 'Prefix GET ']);
  });

  it('puts a named method before ANY on the same path', () => {
    expect(order([route('any', { path: '/x', method: 'ANY' }), route('post', { path: '/x', method: 'POST' })])).toEqual(['Exact POST x', 'Exact ANY x']);
  });

  it('is a total order: ties break on environment and source', () => {
    const a = route('a', { path: '/x', environment: 'DEV' });
    const b = route('b', { path: '/x' });
    expect([a, b].sort(compareRoutes)).toEqual([a, b]);
    expect([b, a].sort(compareRoutes)).toEqual([a, b]);
    expect(compareRoutes(a, a)).toBe(0);
  });
});
