// The per-group memo: unchanged groups yield the identical JsonObjects, anything a group's routes
// read invalidates it, and a group that lost its identity is rebuilt to the same content.
import { resourcesByType, translateIR, type EnvoyResources } from '.';
import { TYPE_URLS } from '../proto/type-urls';
import type { GatewayIR } from '../ir';
import { domain, forward, gateway, group, mock, route, tls, urlCluster } from './testing/builder';

const shopBackend = urlCluster('shop', 'http', 'shop.internal', 8080);
const shop = group('shop', [route('items', { path: '/items', backend: forward(shopBackend.name, '/items') })], { domains: [domain('shop.example.test', { tls: tls('shop-cert') })] });
const blog = group('blog', [route('posts', { path: '/posts', backend: mock(200, 'posts') })], { domains: [domain('blog.example.test', { tls: tls('blog-cert'), httpsRedirect: true })] });
const world: GatewayIR = gateway({ https: { address: '0.0.0.0', port: 8443, publicPort: 443 }, groups: [shop, blog], clusters: [shopBackend] });

const routes = (resources: EnvoyResources): ReadonlyMap<string, unknown> => resourcesByType(resources, TYPE_URLS.routeConfiguration);
const scopes = (resources: EnvoyResources): ReadonlyMap<string, unknown> => resourcesByType(resources, TYPE_URLS.scopedRouteConfiguration);

/** Names whose object is not the identical instance in `after`. */
function rebuilt(before: ReadonlyMap<string, unknown>, after: ReadonlyMap<string, unknown>): string[] {
  return [...after].filter(([name, value]) => before.get(name) !== value).map(([name]) => name);
}

describe('per-group memo', () => {
  it('gives the identical objects for an unchanged IR, even a new GatewayIR object around the same groups', () => {
    const first = translateIR(world);
    const second = translateIR({ ...world, groups: [blog, shop] });
    expect([...routes(second).keys()]).toEqual(['http/shop/blog', 'http/shop/shop', 'https/shop/blog', 'https/shop/shop']);
    expect(rebuilt(routes(first), routes(second))).toEqual([]);
    expect(rebuilt(scopes(first), scopes(second))).toEqual([]);
  });

  it('rebuilds only the group whose object changed', () => {
    const first = translateIR(world);
    const edited = { ...blog, routes: [route('posts', { path: '/posts', backend: mock(200, 'edited') })] };
    const second = translateIR({ ...world, groups: [shop, edited] });
    expect(rebuilt(routes(first), routes(second))).toEqual(['http/shop/blog', 'https/shop/blog']);
    expect(JSON.stringify(routes(second).get('https/shop/blog'))).toContain('edited');
  });

  it('rebuilds when what routes read outside the group changes', () => {
    const first = translateIR(world);
    const authn = translateIR({ ...world, authz: { module: { path: '/authn.wasm' }, apps: [], signatureKeys: [] } });
    expect(rebuilt(routes(first), routes(authn)).sort()).toEqual([...routes(first).keys()]);
    const port = translateIR({ ...world, https: { address: '0.0.0.0', port: 8443, publicPort: 8443 } });
    expect(rebuilt(routes(first), routes(port))).toContain('http/shop/blog');
    expect(JSON.stringify(routes(port).get('http/shop/blog'))).toContain('"port_redirect":8443');
  });

  it('rebuilds a group when a cluster it forwards to would translate differently, not for an equal copy', () => {
    const first = translateIR(world);
    const copy = translateIR({ ...world, clusters: [{ ...shopBackend }] });
    expect(rebuilt(routes(first), routes(copy))).toEqual([]);
    const moved = translateIR({ ...world, clusters: [{ ...shopBackend, port: 9090 }] });
    expect(rebuilt(routes(first), routes(moved))).toEqual(['http/shop/shop', 'https/shop/shop']);
    expect(JSON.stringify(routes(moved).get('http/shop/shop'))).toContain('shop.internal:9090');
  });

  it('is correct without identity: copies of every group give equal, freshly built resources', () => {
    const first = translateIR(world);
    const copied = translateIR({ ...world, groups: world.groups.map((g) => ({ ...g, routes: [...g.routes] })) });
    expect(rebuilt(routes(first), routes(copied)).length).toBe(routes(first).size);
    expect([...routes(copied)]).toEqual([...routes(first)]);
    expect([...scopes(copied)]).toEqual([...scopes(first)]);
  });
});
