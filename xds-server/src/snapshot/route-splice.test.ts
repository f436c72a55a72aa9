import { defaultRegistry, ProtoError, TYPE_URLS, type JsonObject } from '../proto';
import { referencesOf, type Reference } from './references';
import { RouteConfigurationEncoder } from './route-splice';

const registry = defaultRegistry();
const RDS = TYPE_URLS.routeConfiguration;
const ROUTE = 'type.googleapis.com/envoy.config.route.v3.Route';

const route = (prefix: string, cluster: string): JsonObject => ({
  name: prefix,
  match: { prefix },
  route: { cluster, timeout: '3s' },
  typed_per_filter_config: { 'envoy.filters.http.rbac': { '@type': 'type.googleapis.com/envoy.config.route.v3.FilterConfig', disabled: true } },
  metadata: { filter_metadata: { 'turnpike.dev': { api: `ns/${prefix}`, nested: { list: [1, 'two', true] } } } },
});

const config = (routes: readonly JsonObject[]): JsonObject => ({
  name: 'http/ns/group',
  ignore_port_in_host_matching: true,
  virtual_hosts: [
    { name: 'a', domains: ['a.example.com'], routes: routes.slice(0, 2), metadata: { filter_metadata: { x: { y: 'z' } } } },
    { name: 'b', domains: ['b.example.com'], routes: routes.slice(2) },
    { name: 'empty', domains: ['c.example.com'] },
  ],
  response_headers_to_add: [{ header: { key: 'server', value: 'turnpike' } }],
});

const routes = ['/a', '/b', '/c', '/d'].map((p, i) => route(p, `cluster-${i}`));

describe('RouteConfigurationEncoder', () => {
  let encodes: jest.SpyInstance;
  beforeEach(() => { encodes = jest.spyOn(registry, 'encodeVisiting'); });
  afterEach(() => { encodes.mockRestore(); });
  const routesEncoded = (): number => encodes.mock.calls.filter(([typeUrl]) => typeUrl === ROUTE).length;

  it('encodes the message a whole encoding does, with the same name and references', () => {
    const json = config(routes);
    const spliced = new RouteConfigurationEncoder(registry).encode('http/ns/group', json);
    const whole = registry.encodeVisiting(RDS, json);
    expect(registry.decodeMessage(RDS, spliced?.bytes ?? new Uint8Array())).toEqual(registry.decodeMessage(RDS, whole.any.value));
    expect(spliced?.name).toBe('http/ns/group');
    const sorted = (refs: readonly Reference[]): string[] => refs.map((r) => JSON.stringify([r.typeUrl, r.name, r.path])).sort();
    expect(sorted(spliced?.references ?? [])).toEqual(sorted(referencesOf(RDS, whole.messages)));
    expect(spliced?.references.map((r) => r.path)).toContain('virtual_hosts[1].routes[1].route.cluster');
  });

  it('encodes a changed route alone, and gives the bytes a fresh encoder gives', () => {
    const encoder = new RouteConfigurationEncoder(registry);
    encoder.encode('http/ns/group', config(routes));
    expect(routesEncoded()).toBe(4);
    encodes.mockClear();
    const edited = config([routes[0] ?? {}, route('/b', 'cluster-9'), routes[2] ?? {}, routes[3] ?? {}]);
    const again = encoder.encode('http/ns/group', edited);
    expect(routesEncoded()).toBe(1);
    expect(again?.references.find((r) => r.path === 'virtual_hosts[0].routes[1].route.cluster')?.name).toBe('cluster-9');
    expect(again?.bytes).toEqual(new RouteConfigurationEncoder(registry).encode('http/ns/group', edited)?.bytes);
    // Routes moved between hosts are reused too.
    encodes.mockClear();
    encoder.encode('http/ns/group', config([...routes].reverse()));
    expect(routesEncoded()).toBe(1);
  });

  it('names the path of a fault inside a route from the RouteConfiguration, as a whole encoding does', () => {
    const bad = config([...routes.slice(0, 3), { ...route('/d', 'x'), match: { prefix: 7 } }]);
    const fault = (encode: () => unknown): string => {
      try {
        encode();
      } catch (err) {
        if (err instanceof ProtoError) return err.message;
      }
      return 'no fault';
    };
    const spliced = fault(() => new RouteConfigurationEncoder(registry).encode('http/ns/group', bad));
    expect(spliced).toMatch(/^virtual_hosts\[1\]\.routes\[1\]\.match\.prefix: /);
    expect(spliced).toBe(fault(() => registry.encodeVisiting(RDS, bad)));
  });

  it('leaves a configuration whose hosts or routes are not lists to the whole encoding', () => {
    const encoder = new RouteConfigurationEncoder(registry);
    expect(encoder.encode('n', { name: 'n', virtual_hosts: {} })).toBeUndefined();
    expect(encoder.encode('n', { name: 'n', virtual_hosts: [{ name: 'a', domains: ['*'], routes: 'x' }] })).toBeUndefined();
    expect(encoder.encode('n', { name: 'n', virtualHosts: [] })).toBeUndefined();
  });

  it('forgets the configurations not retained: they are encoded in full again', () => {
    const encoder = new RouteConfigurationEncoder(registry);
    encoder.encode('http/ns/group', config(routes));
    encoder.retain(new Map([['other', 1]]));
    encodes.mockClear();
    encoder.encode('http/ns/group', config(routes));
    expect(routesEncoded()).toBe(4);
  });
});
