// Routing end to end: resources applied with kubectl, served by the operator over xDS, traffic
// through a real Envoy to real backends.
import { json, waitFor } from '../../src';
import { groupYaml, hostOf, startGateway, type Gateway } from './fixture';

interface Echo { backend: string; method: string; path: string; query: string; headers: Record<string, string> }
interface HuaweiError { error_code: string; error_msg: string; request_id: string }

const api = (name: string, spec: string): string => `---
apiVersion: turnpike.dev/v1alpha1
kind: Api
metadata: {name: ${name}}
spec:
  groupRef: {name: shop}
${spec}
`;

describe('routing', () => {
  let gw: Gateway;
  let host: string;
  beforeAll(async () => {
    gw = await startGateway('routing');
    host = hostOf(gw, 'shop');
    await gw.apply(groupYaml(gw, 'shop'));
  }, 180_000);
  afterAll(async () => {
    await gw.stop();
  }, 60_000);

  it('serves a mock Api with X-Request-Id on every response', async () => {
    await gw.apply(api('hello', '  method: GET\n  path: /hello\n  backend: {mock: {status: 201, body: hi, headers: {x-demo: "yes"}}}'));
    const reply = await gw.until({ host, path: '/hello' }, (r) => r.status === 201);
    expect(reply.body).toBe('hi');
    expect(reply.headers['x-demo']).toBe('yes');
    expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f-]{32,36}$/);
  });

  it('answers an unknown path with Huawei\'s 404 APIG.0101 body', async () => {
    const reply = await gw.until({ host, path: '/no/such/api' }, (r) => r.status === 404);
    const body = json<HuaweiError>(reply);
    expect(body.error_code).toBe('APIG.0101');
    expect(body.error_msg).toBe('The API does not exist or has not been published in the environment.');
    expect(body.request_id).toBe(reply.headers['x-request-id']);
  });

  it('builds the backend path from path parameters and forwards a prefix remainder', async () => {
    await gw.apply(
      api('user', '  method: GET\n  path: /users/{id}\n  parameters: [{name: id, in: PATH}]\n  backend: {url: {scheme: HTTP, host: "127.0.0.1:#port#", path: "/#version#/people/{id}"}}') +
        api('files', '  method: ANY\n  path: /files\n  matchMode: Prefix\n  backend: {url: {scheme: HTTP, host: "127.0.0.1:#port#", path: /blobs}}') +
        api('greedy', '  method: GET\n  path: /tree/{rest+}\n  parameters: [{name: rest, in: PATH}]\n  backend: {url: {scheme: HTTP, host: "127.0.0.1:#port#", path: "/nodes/{rest}"}}'),
    );
    const user = json<Echo>(await gw.until({ host, path: '/users/42?x=1' }, (r) => r.status === 200));
    expect([user.backend, user.path, user.query]).toEqual(['release', '/v1/people/42', 'x=1']);
    const file = json<Echo>(await gw.until({ host, path: '/files/a/b.txt', method: 'PUT' }, (r) => r.status === 200));
    expect([file.method, file.path]).toEqual(['PUT', '/blobs/a/b.txt']);
    expect((await gw.request({ host, path: '/filesX' })).status).toBe(404);
    expect(json<Echo>(await gw.until({ host, path: '/tree/a/b/c' }, (r) => r.status === 200)).path).toBe('/nodes/a/b/c');
    expect((await gw.request({ host, path: '/users/42/extra' })).status).toBe(404);
  });

  it('selects the environment with X-Stage and 404s where an Api is not published', async () => {
    await gw.apply(api('staged', '  method: GET\n  path: /staged\n  environments: [RELEASE, DEV]\n  backend: {url: {scheme: HTTP, host: "127.0.0.1:#port#", path: /s}}') +
      api('dev-only', '  method: GET\n  path: /dev-only\n  environments: [DEV]\n  backend: {mock: {body: dev}}'));
    await gw.until({ host, path: '/staged' }, (r) => r.status === 200);
    const release = json<Echo>(await gw.request({ host, path: '/staged' }));
    const dev = json<Echo>(await gw.request({ host, path: '/staged', headers: { 'X-Stage': 'DEV' } }));
    expect([release.backend, dev.backend]).toEqual(['release', 'dev']);
    await gw.until({ host, path: '/dev-only', headers: { 'X-Stage': 'DEV' } }, (r) => r.body === 'dev');
    const notPublished = await gw.request({ host, path: '/dev-only' });
    expect([notPublished.status, json<HuaweiError>(notPublished).error_code]).toEqual([404, 'APIG.0101']);
  });

  it('returns 504 on a backend timeout and 502 when the backend is unreachable, in Huawei\'s body', async () => {
    await gw.apply(api('slow', '  method: GET\n  path: /slow\n  backend: {timeoutMs: 200, retries: 0, url: {scheme: HTTP, host: "127.0.0.1:#port#", path: /status/200}}') +
      api('down', '  method: GET\n  path: /down\n  backend: {retries: 0, url: {scheme: HTTP, host: "127.0.0.1:1", path: /}}'));
    gw.backends.release.delayMs = 1000;
    try {
      const slow = await gw.until({ host, path: '/slow' }, (r) => r.status === 504);
      expect(json<HuaweiError>(slow)).toMatchObject({ error_code: 'APIG.0201', error_msg: 'Backend timeout.' });
    } finally {
      gw.backends.release.delayMs = 0;
    }
    const down = await gw.until({ host, path: '/down' }, (r) => r.status === 502);
    expect(json<HuaweiError>(down)).toMatchObject({ error_code: 'APIG.0201', error_msg: 'Backend unavailable.' });
  });

  it('adds the latency headers with X-Apig-Mode: debug only', async () => {
    const plain = await gw.until({ host, path: '/staged' }, (r) => r.status === 200);
    expect(plain.headers['x-apig-latency']).toBeUndefined();
    const debug = await gw.request({ host, path: '/staged', headers: { 'X-Apig-Mode': 'debug' } });
    expect(debug.headers['x-apig-latency']).toMatch(/^\d+$/);
    expect(debug.headers['x-apig-upstream-latency']).toMatch(/^\d+$/);
  });

  it('serves an update within a second and a deletion disturbs no other Api', async () => {
    await gw.apply(api('moving', '  method: GET\n  path: /moving\n  backend: {mock: {body: one}}'));
    await gw.until({ host, path: '/moving' }, (r) => r.body === 'one');
    // Timed from the API server accepting the change (kubectl's own start-up is not the gateway's).
    await gw.apply(api('moving', '  method: GET\n  path: /moving\n  backend: {mock: {body: two}}'));
    const started = Date.now();
    await gw.until({ host, path: '/moving' }, (r) => r.body === 'two', 5_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    await gw.remove('api', 'moving');
    await gw.until({ host, path: '/moving' }, (r) => r.status === 404);
    expect((await gw.request({ host, path: '/hello' })).status).toBe(201);
  });

  it('reports a dangling groupRef as ResolvedRefs=False and Programmed once served', async () => {
    await gw.apply(api('orphan', '  method: GET\n  path: /orphan\n  backend: {mock: {}}').replace('name: shop', 'name: nowhere'));
    const condition = await waitCondition(gw, 'orphan', 'ResolvedRefs', 'False');
    expect(condition).toMatchObject({ reason: 'GroupNotFound', message: `spec.groupRef: ApiGroup ${gw.namespace}/nowhere does not exist` });
    expect(await waitCondition(gw, 'hello', 'Programmed', 'True')).toMatchObject({ reason: 'Programmed' });
  });
});

async function waitCondition(gw: Gateway, name: string, type: string, status: string): Promise<{ reason: string; message: string }> {
  return waitFor(async () => {
    const condition = await gw.condition('api', name, type);
    return condition?.status === status ? condition : undefined;
  }, { what: `Api ${name} ${type}=${status}`, timeoutMs: 20_000 });
}
