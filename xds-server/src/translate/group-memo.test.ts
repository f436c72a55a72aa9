// The per-group memo: unchanged groups yield the identical instances (LazyJson route
// configurations, JSON scopes), anything a group's routes read invalidates it, and a group that
// lost its identity is rebuilt to the same content.
import { resourcesByType, translateIR, type EnvoyResources } from '.';
import { TYPE_URLS } from '../proto/type-urls';
import type { GatewayIR } from '../ir';
import { domain, forward, gateway, group, mock, route, tls, urlCluster } from './testing/builder';

const shopBackend = urlCluster('shop', 'http', 'shop.internal', 8080);
const shop = group('shop', [route('items', { path: '/items', backend: forward(shopBackend.name, '/items') })], { domains: [domain('shop.example.test', { tls: tls('shop-cert') })] });
const blog = group('blog', [route('posts', { path: '/posts', backend: mock(200, 'posts') })], { domains: [domain('blog.example.test', { tls: tls('blog-cert'), httpsRedirect: true })] });
const world: GatewayIR = gateway({ https: { address: '0.0.0.0', port: 8443, publicPort: 443 }, groups: [shop, blog], clusters: [shopBackend] });

/** As translateIR hands them on (identity matters here), not built. */
const routes = (resources: EnvoyResources): ReadonlyMap<string, unknown> => resources.get(TYPE_URLS.routeConfiguration) ?? new Map();
const scopes = (resources: EnvoyResources): ReadonlyMap<string, unknown> => resources.get(TYPE_URLS.scopedRouteConfiguration) ?? new Map();
const routeJson = (resources: EnvoyResources, name: string): string => JSON.stringify(resourcesByType(resources, TYPE_URLS.routeConfiguration).get(name));

/** Names whose object is not the identical instance in `after`. */
function rebuilt(before: ReadonlyMap<string, unknown>, after: ReadonlyMap<string, unknown>): string[] {
  return [...after].filter(([name, value]) => before.get(name) !== value).map(([name]) => name);
}

describe('per-group memo', () => {
  it('gives the identical objects for an unchanged IR, even a new GatewayIR object around the same groups', () => {
    const first = translateIR(world);
    const second = translateIR({ ...world, groups: [blog, shop] });
    expect([...routes(second).keys()]).toEqual(['http/shop/blog', 'http/shop/shop', 'https-redirect/shop/blog']);
    expect(rebuilt(routes(first), routes(second))).toEqual([]);
    expect(rebuilt(scopes(first), scopes(second))).toEqual([]);
  });

  it('hands back the last map of a type when nothing in it changed, and keeps name order through edits and moves', () => {
    const first = translateIR(world);
    expect(routes(translateIR({ ...world }))).toBe(routes(first));
    const edited = { ...shop, routes: [route('items', { path: '/items', backend: mock(200, 'edited') })] };
    const names = [...routes(first).keys()];
    for (const groups of [[edited, blog], [blog, edited], [blog], [edited, blog]]) {
      const keys = [...routes(translateIR({ ...world, groups })).keys()];
      expect(keys).toEqual([...keys].sort());
      expect(keys).toEqual(names.filter((name) => groups.some((g) => name.endsWith(`/${g.source.name}`))));
    }
  });

  it('rebuilds only the group whose object changed', () => {
    const first = translateIR(world);
    const edited = { ...blog, routes: [route('posts', { path: '/posts', backend: mock(200, 'edited') })] };
    const second = translateIR({ ...world, groups: [shop, edited] });
    expect(rebuilt(routes(first), routes(second))).toEqual(['http/shop/blog', 'https-redirect/shop/blog']);
    expect(routeJson(second, 'http/shop/blog')).toContain('edited');
  });

  it('rebuilds when what routes read outside the group changes', () => {
    const first = translateIR(world);
    const authn = translateIR({ ...world, authz: { module: { path: '/libturnpike_authn.so' }, apps: [], signatureKeys: [] } });
    expect(rebuilt(routes(first), routes(authn)).sort()).toEqual([...routes(first).keys()]);
    const port = translateIR({ ...world, https: { address: '0.0.0.0', port: 8443, publicPort: 8443 } });
    expect(rebuilt(routes(first), routes(port))).toContain('https-redirect/shop/blog');
    expect(routeJson(port, 'https-redirect/shop/blog')).toContain('"port_redirect":8443');
  });

  it('rebuilds a group when a cluster it forwards to would translate differently, not for an equal copy', () => {
    const first = translateIR(world);
    const copy = translateIR({ ...world, clusters: [{ ...shopBackend }] });
    expect(rebuilt(routes(first), routes(copy))).toEqual([]);
    const moved = translateIR({ ...world, clusters: [{ ...shopBackend, port: 9090 }] });
    expect(rebuilt(routes(first), routes(moved))).toEqual(['http/shop/shop']);
    expect(routeJson(moved, 'http/shop/shop')).toContain('shop.internal:9090');
  });

  it('is correct without identity: copies of every group give equal, freshly built resources', () => {
    const first = translateIR(world);
    const copied = translateIR({ ...world, groups: world.groups.map((g) => ({ ...g, routes: [...g.routes] })) });
    expect(rebuilt(routes(first), routes(copied)).length).toBe(routes(first).size);
    expect([...resourcesByType(copied, TYPE_URLS.routeConfiguration)]).toEqual([...resourcesByType(first, TYPE_URLS.routeConfiguration)]);
    expect([...scopes(copied)]).toEqual([...scopes(first)]);
  });
});

describe('a kept route configuration', () => {
  it('builds the same JSON again when asked after its first JSON was handed over', () => {
    const resources = translateIR(world);
    const first = resourcesByType(resources, TYPE_URLS.routeConfiguration);
    const again = resourcesByType(resources, TYPE_URLS.routeConfiguration);
    expect([...again]).toEqual([...first]);
    expect(again.get('http/shop/shop')).not.toBe(first.get('http/shop/shop'));
  });
});
