// Backend signing checked by an independent verifier (docs/huawei-compatibility.md §9), generated credentials, a
// secret reset and App status. Fail closed when the filter cannot load: standalone.spec.ts.
import { json, kubectl, kubectlOk, waitFor } from '../../src';
import { BASIC_KEY, CLIENT, HMAC_KEY, signed, startAuthzWorld, type AuthzWorld } from './fixture';
import type { Verdict } from './verifier';

interface Verified { verdict: Verdict; method: string; target: string; headers: Record<string, string | undefined> }

describe('backend signing and operations', () => {
  let world: AuthzWorld;
  let host: string;
  const kube = (args: readonly string[]): Promise<string> => kubectlOk(world.gw.cluster.kubeconfigPath, ['-n', world.gw.namespace, ...args]);
  const secretValue = async (secret: string, key: string): Promise<string> =>
    Buffer.from(await kube(['get', 'secret', secret, '-o', `jsonpath={.data.${key}}`]), 'base64').toString('utf8');

  beforeAll(async () => {
    world = await startAuthzWorld('authz-ops');
    host = world.host;
  }, 120_000);
  afterAll(async () => { await world.stop(); });

  it('signs backend requests with HMAC as the backend receives them (rewritten path, Host and body)', async () => {
    const get = await world.gw.request({ host, path: '/signed/items?b=2&a=1&a=', headers: { Authorization: 'Bearer the-callers-own' } });
    expect(get.status).toBe(200);
    const verified = json<Verified>(get);
    expect(verified.verdict).toEqual({ ok: true, key: HMAC_KEY.key, scheme: 'HMAC' });
    expect(verified.target).toBe('/verify/items?b=2&a=1&a=');
    expect(verified.headers.host).toBe(`127.0.0.1:${world.verifier.port}`);
    expect(verified.headers.authorization).toMatch(/^SDK-HMAC-SHA256 Access=gateway-hmac-01, SignedHeaders=host;x-sdk-date, Signature=[0-9a-f]{64}$/);
    const post = await world.gw.request({ host, path: '/signed', method: 'POST', body: '{"order":42}', headers: { 'Content-Type': 'application/json', 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD' } });
    expect([post.status, json<Verified>(post).verdict.ok, json<Verified>(post).headers['x-sdk-content-sha256']]).toEqual([200, true, undefined]);
  });

  it('signs an APP Api\'s backend request after authenticating the caller, and BASIC keys as Basic', async () => {
    const app = await world.gw.request(signed({ host, method: 'PUT', path: '/orders/42?x=1', body: 'payload' }));
    expect([app.status, json<Verified>(app).target, json<Verified>(app).verdict.ok]).toEqual([200, '/v2/orders/42?x=1', true]);
    expect(json<Verified>(app).headers['x-turnpike-app-id']).toBe(`${world.gw.namespace}/client`);
    const basic = await world.gw.request({ host, path: '/basic' });
    expect([basic.status, json<Verified>(basic).verdict]).toEqual([200, { ok: true, key: BASIC_KEY.key, scheme: 'BASIC' }]);
  });

  it('shows the AppKey in status (never the secret) and Programmed once Envoy has the App', async () => {
    await waitFor(async () => (await world.gw.condition('app', 'client', 'Programmed'))?.status === 'True', { what: 'App client Programmed', timeoutMs: 20_000 });
    const status = await kube(['get', 'app', 'client', '-o', 'jsonpath={.status}']);
    expect(JSON.parse(status)).toMatchObject({ appKey: CLIENT.key });
    expect(status).not.toContain(CLIENT.secret);
    await world.gw.apply('apiVersion: v1\nkind: Secret\nmetadata: {name: bad-credentials}\nstringData: {appKey: short, appSecret: whatever-secret}\n---\napiVersion: turnpike.dev/v1alpha1\nkind: App\nmetadata: {name: bad}\nspec: {credentialsSecretRef: {name: bad-credentials}}\n');
    const condition = await waitFor(async () => {
      const c = await world.gw.condition('app', 'bad', 'ResolvedRefs');
      return c?.status === 'False' ? c : undefined;
    }, { what: 'App bad ResolvedRefs=False', timeoutMs: 20_000 });
    expect(condition).toMatchObject({ reason: 'InvalidSecret' });
  });

  it('generates credentials and signature keys into Secrets owned by their objects', async () => {
    await world.gw.apply(`apiVersion: turnpike.dev/v1alpha1
kind: App
metadata: {name: generated}
spec: {grants: [{kind: Api, name: echo}]}
---
apiVersion: turnpike.dev/v1alpha1
kind: SignatureKey
metadata: {name: generated-key}
spec: {type: HMAC}
---
apiVersion: turnpike.dev/v1alpha1
kind: Api
metadata: {name: generated-signing}
spec: {groupRef: {name: shop}, method: GET, path: /generated, backend: {url: {scheme: HTTP, host: "127.0.0.1:${world.verifier.port}", path: /g}, signatureKeyRef: {name: generated-key}}}
`);
    const key = await waitFor(async () => (await kubectl(world.gw.cluster.kubeconfigPath, ['-n', world.gw.namespace, 'get', 'app', 'generated', '-o', 'jsonpath={.status.appKey}'])).stdout || undefined, { what: 'status.appKey of the generated App', timeoutMs: 20_000 });
    expect(await secretValue('generated-credentials', 'appKey')).toBe(key);
    const owner = await kube(['get', 'secret', 'generated-credentials', '-o', 'jsonpath={.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}']);
    expect(owner).toBe('App/generated');
    const app = { key, secret: await secretValue('generated-credentials', 'appSecret') };
    await world.gw.until(signed({ host, path: '/echo/generated', app }), (r) => r.status === 200);
    world.verifier.hmac.set(await waitFor(() => secretValue('generated-key-signature', 'key').catch(() => undefined), { what: 'generated-key-signature' }), await secretValue('generated-key-signature', 'secret'));
    await world.gw.until({ host, path: '/generated' }, (r) => r.status === 200);
  });

  it('stops accepting a reset AppSecret within seconds and accepts the new one', async () => {
    const before = signed({ host, path: '/echo/reset' });
    expect((await world.gw.request(before)).status).toBe(200);
    const started = Date.now();
    await world.gw.apply(`apiVersion: v1\nkind: Secret\nmetadata: {name: client-credentials}\nstringData: {appKey: ${CLIENT.key}, appSecret: reset-secret-0001, appCodes: "${CLIENT.code}"}\n`);
    await world.gw.until(before, (r) => r.status === 401, 10_000);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(5_000);
    expect((await world.gw.request(signed({ host, path: '/echo/reset', app: { key: CLIENT.key, secret: 'reset-secret-0001' } }))).status).toBe(200);
    process.stderr.write(`[authn e2e] secret reset took effect after ${elapsed} ms\n`);
  });
});
