// Bound domains with TLS by SNI, HTTP→HTTPS redirect, Service backends through EndpointSlices,
// a configuration Envoy rejects, and an operator restart under load.
import path from 'node:path';
import { makeServingCert, waitFor, type HttpReply } from '../../src';
import { groupYaml, startGateway, type Gateway } from './fixture';

const indent = (text: string, spaces: number): string => text.trim().split('\n').map((l) => `${' '.repeat(spaces)}${l}`).join('\n');

function tlsSecret(name: string, cert: string, key: string): string {
  return `---
apiVersion: v1
kind: Secret
metadata: {name: ${name}}
type: kubernetes.io/tls
stringData:
  tls.crt: |
${indent(cert, 4)}
  tls.key: |
${indent(key, 4)}
`;
}

const mockApi = (name: string, group: string, apiPath: string, body: string): string => `---
apiVersion: turnpike.dev/v1alpha1
kind: Api
metadata: {name: ${name}}
spec: {groupRef: {name: ${group}}, method: GET, path: ${apiPath}, backend: {mock: {body: ${body}}}}
`;

describe('bound domains, Services, rejected config, restarts', () => {
  let gw: Gateway;
  let ca: string;
  beforeAll(async () => {
    gw = await startGateway('domains');
    const tls = makeServingCert(path.join(gw.dir, 'tls'), ['shop.example.test']);
    ca = tls.ca;
    await gw.apply(tlsSecret('shop-tls', tls.cert, tls.key) + groupYaml(gw, 'shop', `  domains:
    - {hostname: shop.example.test, tls: {secretName: shop-tls}, httpsRedirect: true}
    - {hostname: plain.example.test}`) + mockApi('hello', 'shop', '/hello', 'secure'));
  }, 180_000);
  afterAll(async () => {
    await gw.stop();
  }, 60_000);

  const until = async (call: Parameters<Gateway['request']>[0], check: (r: HttpReply) => boolean): Promise<HttpReply> =>
    waitFor(async () => {
      const reply = await gw.request(call).catch(() => undefined);
      return reply !== undefined && check(reply) ? reply : undefined;
    }, { what: `${call.host}${call.path}`, timeoutMs: 20_000, intervalMs: 50 });

  it('serves a bound domain over HTTPS with its certificate chosen by SNI', async () => {
    const reply = await until({ host: 'shop.example.test', path: '/hello', tls: { ca } }, (r) => r.status === 200);
    expect(reply.body).toBe('secure');
  });

  it('redirects plain HTTP to HTTPS on a domain that asks for it, and not on the others', async () => {
    const redirect = await until({ host: 'shop.example.test', path: '/hello?a=1' }, (r) => r.status === 301);
    expect(redirect.headers.location).toBe(`https://shop.example.test:${gw.operator.httpsPort}/hello?a=1`);
    expect((await until({ host: 'plain.example.test', path: '/hello' }, (r) => r.status === 200)).body).toBe('secure');
  });

  it('serves an Api of one protocol on that listener only; the other answers 400 APIG.0607, whatever the caller claims', async () => {
    const api = (name: string, apiPath: string, protocol: string): string =>
      `---\napiVersion: turnpike.dev/v1alpha1\nkind: Api\nmetadata: {name: ${name}}\nspec: {groupRef: {name: shop}, method: GET, path: ${apiPath}, protocol: ${protocol}, backend: {mock: {body: ${name}}}}\n`;
    await gw.apply(api('https-only', '/https-only', 'HTTPS') + api('http-only', '/http-only', 'HTTP'));
    const overTls = { host: 'shop.example.test', tls: { ca } };
    expect((await until({ ...overTls, path: '/https-only' }, (r) => r.status === 200)).body).toBe('https-only');
    expect((await until({ host: 'plain.example.test', path: '/http-only' }, (r) => r.status === 200)).body).toBe('http-only');
    const refused = (reply: HttpReply): unknown => [reply.status, (JSON.parse(reply.body) as { error_code: string; error_msg: string })];
    const wrongScheme = (allowed: string): unknown => [400, expect.objectContaining({ error_code: 'APIG.0607', error_msg: `The following protocol is supported: ${allowed}` })];
    // Both sides serve the group's one RouteConfiguration: each listener sets :scheme itself.
    expect(refused(await gw.request({ host: 'plain.example.test', path: '/https-only', headers: { 'X-Forwarded-Proto': 'https' } }))).toEqual(wrongScheme('HTTPS'));
    expect(refused(await gw.request({ ...overTls, path: '/http-only' }))).toEqual(wrongScheme('HTTP'));
  });

  it('programs a Service backend with its ready EndpointSlice endpoints', async () => {
    // The API server refuses loopback endpoints, and no test may send traffic elsewhere, so this
    // checks what Envoy was given (TEST-NET-2 addresses, never called) instead of a request.
    await gw.apply(`---
apiVersion: v1
kind: Service
metadata: {name: items}
spec: {ports: [{name: http, port: 80}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: items-1, labels: {kubernetes.io/service-name: items}}
addressType: IPv4
ports: [{name: http, port: 8080}]
endpoints:
  - {addresses: [198.51.100.7], conditions: {ready: true}}
  - {addresses: [198.51.100.8], conditions: {ready: false}}
---
apiVersion: turnpike.dev/v1alpha1
kind: Api
metadata: {name: items}
spec: {groupRef: {name: shop}, method: GET, path: /items, backend: {service: {name: items, port: 80, path: /v2/items}}}
`);
    const cluster = `svc/${gw.namespace}/items/80`;
    const endpoints = await waitFor(async () => {
      const text = await (await fetch(`${gw.envoy.admin}/clusters`)).text();
      const lines = text.split('\n').filter((l) => l.startsWith(`${cluster}::`) && l.includes('::hostname::'));
      return lines.length > 0 ? lines.map((l) => l.split('::')[1]) : undefined;
    }, { what: `Envoy cluster ${cluster} with endpoints`, timeoutMs: 20_000 });
    expect(endpoints).toEqual(['198.51.100.7:8080']);
  });

  it('shows configuration Envoy rejects as Programmed=False and keeps serving the last good one', async () => {
    const garbage = '-----BEGIN CERTIFICATE-----\nTUlJQm5vdGFjZXJ0\n-----END CERTIFICATE-----';
    const key = '-----BEGIN PRIVATE KEY-----\nTUlJQm5vdGFrZXk=\n-----END PRIVATE KEY-----';
    await gw.apply(tlsSecret('broken-tls', garbage, key) + groupYaml(gw, 'broken', '  domains: [{hostname: broken.example.test, tls: {secretName: broken-tls}}]'));
    const condition = await waitFor(async () => {
      const c = await gw.condition('apigroup', 'broken', 'Programmed');
      return c?.status === 'False' ? c : undefined;
    }, { what: 'ApiGroup broken Programmed=False', timeoutMs: 20_000 });
    expect(condition.reason).toBe('Rejected');
    expect(condition.message).toMatch(/rejected .*(certificate|PEM|Failed)/i);
    expect((await gw.request({ host: 'shop.example.test', path: '/hello', tls: { ca } })).body).toBe('secure');
    expect((await gw.condition('api', 'hello', 'Programmed'))?.status).toBe('True');
  });

  it('drops no request while the operator restarts', async () => {
    await until({ host: 'plain.example.test', path: '/hello' }, (r) => r.status === 200);
    let stop = false;
    const failures: string[] = [];
    let sent = 0;
    const load = async (): Promise<void> => {
      while (!stop) {
        sent += 1;
        const reply = await gw.request({ host: 'plain.example.test', path: '/hello' }).catch((err: unknown) => ({ status: 0, body: String(err) }));
        if (reply.status !== 200) failures.push(`${reply.status} ${reply.body.slice(0, 80)}`);
      }
    };
    const clients = [load(), load()];
    await gw.restartOperator();
    await waitFor(async () => (await gw.condition('api', 'hello', 'Programmed'))?.status === 'True', { what: 'status after restart' });
    const before = sent;
    await waitFor(() => sent > before + 50, { what: 'more requests after the restart' });
    stop = true;
    await Promise.all(clients);
    expect(failures).toEqual([]);
  });
});
