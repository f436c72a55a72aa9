// Standalone mode's app authentication: the quick start's APP Api called with the demo App through
// `turnpike call`, credentials generated into the state directory that survive a restart, and a
// gateway whose authn module cannot load refusing APP calls (fail closed).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sign } from '@turnpike/sdk';
import { startEchoServer, type EchoServer } from '@turnpike/operator';
import { call, freePort, json, repoRoot, startStandalone, turnpikeCli, waitFor, type HttpReply, type TurnpikeProcess } from '../../src';

interface Echo { path: string; headers: Record<string, string | undefined> }

function turnpikeCall(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [turnpikeCli, 'call', ...args], (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

describe('standalone mode: app authentication in Envoy', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-authz-standalone-'));
  const manifests = path.join(dir, 'examples');
  const host = 'demo.default.apigw.localhost';
  let gateway: TurnpikeProcess;

  const start = async (): Promise<void> => {
    gateway = await startStandalone({ manifests, dir, extraArgs: ['--demo-backends', demoPorts.join(','), '--no-ratelimit'] });
  };
  let demoPorts: number[] = [];

  beforeAll(async () => {
    fs.cpSync(path.join(repoRoot, 'examples'), manifests, { recursive: true });
    demoPorts = [await freePort(), await freePort()];
    const groupFile = path.join(manifests, '00-apigroup.yaml');
    fs.writeFileSync(groupFile, fs.readFileSync(groupFile, 'utf8').replace('"18080"', `"${demoPorts[0]}"`).replace('"18081"', `"${demoPorts[1]}"`));
    // An App whose credentials the gateway generates, granted the quick start's APP Api.
    fs.writeFileSync(path.join(manifests, '90-generated-app.yaml'),
      'apiVersion: turnpike.dev/v1alpha1\nkind: App\nmetadata: {name: generated}\nspec: {grants: [{kind: Api, name: create-order}]}\n');
    await start();
  }, 120_000);
  afterAll(async () => {
    await gateway.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves the quick start\'s APP Api to `turnpike call` with the demo App, backend request signed', async () => {
    const args = ['--credentials', path.join(manifests, '20-app-demo-client.yaml'), '--connect', `127.0.0.1:${gateway.httpPort}`, '-H', 'Content-Type: application/json', '-d', '{"item":"book"}', '--debug', `http://${host}/orders`];
    const result = await waitFor(async () => {
      const r = await turnpikeCall(args);
      return r.code === 0 ? r : undefined;
    }, { what: 'turnpike call POST /orders to succeed', timeoutMs: 30_000 });
    expect(result.stderr).toMatch(/^HTTP 200 OK\n(?:.*\n)*x-request-id: [0-9a-f]{32}\n/m);
    expect(result.stderr).toMatch(/x-apig-latency: \d+/);
    const echo = JSON.parse(result.stdout) as Echo;
    expect(echo.path).toBe('/api/orders');
    expect(echo.headers['x-turnpike-app-id']).toBe('default/demo-client');
    expect(echo.headers.authorization).toMatch(/^SDK-HMAC-SHA256 Access=demo-backend-key, SignedHeaders=host;x-sdk-date, /);
    const refused = await turnpikeCall(['--connect', `127.0.0.1:${gateway.httpPort}`, '-d', '{}', `http://${host}/orders`]);
    expect([refused.code, refused.stderr.split('\n')[0]]).toEqual([1, 'HTTP 401 Unauthorized']);
  });

  it('serves the default subdomain over HTTPS with a certificate of the state directory\'s CA: AppCode works there', async () => {
    const ca = fs.readFileSync(path.join(dir, 'standalone', 'tls', 'ca.crt'), 'utf8');
    const code = { 'X-Apig-AppCode': 'DemoAppCode0NotForProduction+AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'Content-Type': 'application/json' };
    const reply = await waitFor(async () => {
      const r = await call({ port: gateway.httpsPort, host, path: '/orders', method: 'POST', headers: code, body: '{}', tls: { ca } }).catch(() => undefined);
      return r?.status === 200 ? r : undefined;
    }, { what: 'an AppCode call over HTTPS on the default subdomain', timeoutMs: 30_000 });
    const echo = json<Echo>(reply);
    expect([echo.headers['x-turnpike-app-id'], echo.headers['x-apig-appcode']]).toEqual(['default/demo-client', undefined]);
    // The same AppCode over plain HTTP is refused: HTTPS only.
    const plain = await call({ port: gateway.httpPort, host, path: '/orders', method: 'POST', headers: code, body: '{}' });
    expect([plain.status, json<{ error_msg: string }>(plain).error_msg]).toEqual([401, 'Incorrect app authentication information: app code authentication is only supported over HTTPS']);
  });

  it('generates credentials into the state directory (0600) and keeps them across a restart', async () => {
    const file = path.join(dir, 'standalone', 'credentials', 'default', 'generated-credentials.json');
    const credentials = await waitFor(() => (fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { appKey: string; appSecret: string }) : undefined), { what: file });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const signedCall = (): Promise<HttpReply> => {
      const headers = sign({ method: 'POST', url: `http://${host}/orders`, headers: {}, body: '{}' }, { key: credentials.appKey, secret: credentials.appSecret });
      return call({ port: gateway.httpPort, host, path: '/orders', method: 'POST', headers, body: '{}' });
    };
    const first = await waitFor(async () => ((await signedCall()).status === 200 ? true : undefined), { what: 'the generated App to be served', timeoutMs: 30_000 });
    expect(first).toBe(true);
    await gateway.stop();
    await start();
    const after = await waitFor(async () => {
      const reply = await signedCall();
      return reply.status === 200 ? reply : undefined;
    }, { what: 'the same credentials after a restart', timeoutMs: 30_000 });
    expect(json<Echo>(after).headers['x-turnpike-app-id']).toBe('default/generated');
  });
});

describe('standalone mode: an authn module Envoy cannot load', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-authn-broken-'));
  const manifests = path.join(dir, 'manifests');
  const host = 'shop.default.apigw.localhost';
  let gateway: TurnpikeProcess;
  let backend: EchoServer;

  beforeAll(async () => {
    backend = await startEchoServer({ name: 'broken-backend' });
    fs.mkdirSync(manifests);
    fs.writeFileSync(path.join(manifests, 'shop.yaml'), `apiVersion: turnpike.dev/v1alpha1
kind: ApiGroup
metadata: {name: shop}
spec: {}
---
apiVersion: turnpike.dev/v1alpha1
kind: Api
metadata: {name: app}
spec: {groupRef: {name: shop}, method: GET, path: /app, auth: {type: APP}, backend: {url: {scheme: HTTP, host: "127.0.0.1:${backend.port}", path: /}}}
---
apiVersion: turnpike.dev/v1alpha1
kind: Api
metadata: {name: open}
spec: {groupRef: {name: shop}, method: GET, path: /open, backend: {url: {scheme: HTTP, host: "127.0.0.1:${backend.port}", path: /}}}
---
apiVersion: v1
kind: Secret
metadata: {name: client-credentials}
stringData: {appKey: broken-test-key-0001, appSecret: broken-test-secret-0001}
---
apiVersion: turnpike.dev/v1alpha1
kind: App
metadata: {name: client}
spec: {credentialsSecretRef: {name: client-credentials}, grants: [{kind: Api, name: app}]}
`);
    // Named like the module, so the operator accepts the path and Envoy tries to load it.
    const garbage = path.join(dir, 'broken', 'libturnpike_authn.so');
    fs.mkdirSync(path.dirname(garbage));
    fs.writeFileSync(garbage, 'this is not a shared object');
    gateway = await startStandalone({ manifests, dir, extraArgs: ['--no-ratelimit', '--authn-module', garbage] });
  }, 120_000);
  afterAll(async () => {
    await gateway.stop();
    await backend.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers signed and unsigned APP calls 500 APIG.0601 and keeps serving NONE Apis', async () => {
    await waitFor(async () => ((await call({ port: gateway.httpPort, host, path: '/open' })).status === 200 ? true : undefined), { what: '/open served', timeoutMs: 30_000 });
    const headers = sign({ method: 'GET', url: `http://${host}/app`, headers: {} }, { key: 'broken-test-key-0001', secret: 'broken-test-secret-0001' });
    for (const reply of [await call({ port: gateway.httpPort, host, path: '/app', headers }), await call({ port: gateway.httpPort, host, path: '/app' })]) {
      expect([reply.status, json<{ error_code: string }>(reply).error_code]).toEqual([500, 'APIG.0601']);
    }
    expect(backend.received.map((r) => r.path)).toEqual(['/']);
  });
});
