// IP access control end to end: AclPolicies applied with kubectl, enforced by a real Envoy on the
// address of the connection (clients bind 127.x source addresses), X-Forwarded-For trusted only
// with --trusted-proxy-hops.
import { freePort, json, startGatewayEnvoy, startOperator, waitFor, type Envoy, type TurnpikeProcess } from '../../src';
import { groupYaml, startGateway, type Gateway } from '../routing/fixture';
import { callPort, programmed } from './fixture';

interface HuaweiError { error_code: string; error_msg: string; request_id: string }

const BOUND = 'api.acl.example.com';

const api = (name: string): string => `---
apiVersion: turnpike.dev/v1alpha1
kind: Api
metadata: {name: ${name}}
spec: {groupRef: {name: shop}, method: GET, path: /${name}, backend: {url: {scheme: HTTP, host: "127.0.0.1:#port#", path: /${name}}}}
`;

const acl = (name: string, target: string, action: 'ALLOW' | 'DENY', ips: readonly string[]): string => `---
apiVersion: turnpike.dev/v1alpha1
kind: AclPolicy
metadata: {name: ${name}}
spec: {targetRefs: [${target}], action: ${action}, type: IP, ips: [${ips.join(', ')}]}
`;

describe('IP access control', () => {
  let gw: Gateway;
  const from = async (path: string, localAddress: string, headers: Record<string, string> = {}): Promise<number> =>
    (await gw.request({ host: BOUND, path, localAddress, headers })).status;

  beforeAll(async () => {
    gw = await startGateway('acl');
    await gw.apply(groupYaml(gw, 'shop', `  domains: [{hostname: ${BOUND}}]\n`));
    await gw.apply(api('allow') + api('deny') + api('layered') +
      acl('allow', '{kind: Api, name: allow}', 'ALLOW', ['127.0.0.2', '127.0.0.3-127.0.0.4', '127.0.1.0/24']) +
      acl('deny', '{kind: Api, name: deny}', 'DENY', ['127.0.0.2', '127.0.0.3-127.0.0.4', '127.0.1.0/24']));
    await programmed(gw, 'aclpolicy', 'allow');
    await programmed(gw, 'aclpolicy', 'deny');
  }, 240_000);
  afterAll(async () => {
    await gw.stop();
  }, 60_000);

  it('ALLOW lets only the listed address, range and CIDR call; others get 403 APIG.0402', async () => {
    for (const address of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.1.0', '127.0.1.77', '127.0.1.255']) expect([address, await from('/allow', address)]).toEqual([address, 200]);
    for (const address of ['127.0.0.1', '127.0.0.5', '127.0.2.1']) expect([address, await from('/allow', address)]).toEqual([address, 403]);
    const refused = await gw.request({ host: BOUND, path: '/allow', localAddress: '127.0.0.5' });
    expect(json<HuaweiError>(refused)).toEqual({
      error_code: 'APIG.0402', error_msg: 'The IP address is not authorized to access the API.', request_id: refused.headers['x-request-id'],
    });
  });

  it('DENY refuses exactly the listed address, range and CIDR', async () => {
    for (const address of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.1.9']) expect([address, await from('/deny', address)]).toEqual([address, 403]);
    for (const address of ['127.0.0.1', '127.0.0.5', '127.0.2.1']) expect([address, await from('/deny', address)]).toEqual([address, 200]);
  });

  it('ignores a spoofed X-Forwarded-For when no proxy hop is trusted', async () => {
    expect(await from('/deny', '127.0.0.2', { 'X-Forwarded-For': '127.0.0.9' })).toBe(403);
    expect(await from('/allow', '127.0.0.9', { 'X-Forwarded-For': '127.0.0.2' })).toBe(403);
    expect(await from('/allow', '127.0.0.2', { 'X-Forwarded-For': '127.0.0.9' })).toBe(200);
  });

  it('prefers a policy on the Api over one on its group, and follows policy changes', async () => {
    // The group's policy covers the group's Apis that have none of their own (here: plain).
    const plain = `---\napiVersion: turnpike.dev/v1alpha1\nkind: Api\nmetadata: {name: plain}\nspec: {groupRef: {name: shop}, method: GET, path: /plain, backend: {mock: {status: 403, body: mock}}}\n`;
    await gw.apply(plain + acl('group-deny', '{kind: ApiGroup, name: shop}', 'DENY', ['127.0.0.20']) + acl('layered', '{kind: Api, name: layered}', 'DENY', ['127.0.0.21']));
    await programmed(gw, 'aclpolicy', 'layered');
    await programmed(gw, 'aclpolicy', 'group-deny');
    expect([await from('/layered', '127.0.0.20'), await from('/layered', '127.0.0.21')]).toEqual([200, 403]);
    const mock = await gw.request({ host: BOUND, path: '/plain', localAddress: '127.0.0.22' });
    expect([mock.status, mock.body]).toEqual([403, 'mock']);
    const denied = await gw.request({ host: BOUND, path: '/plain', localAddress: '127.0.0.20' });
    // A mock that answers 403 keeps its body; an ACL denial on it gets Huawei's.
    expect([denied.status, json<HuaweiError>(denied).error_code]).toEqual([403, 'APIG.0402']);
    await gw.remove('aclpolicy', 'layered');
    await gw.until({ host: BOUND, path: '/layered', localAddress: '127.0.0.21' }, (r) => r.status === 200);
    expect(await from('/layered', '127.0.0.20')).toBe(403);
  });

  describe('with one trusted proxy hop', () => {
    let trusted: TurnpikeProcess;
    let envoy: Envoy;
    beforeAll(async () => {
      const ports = { http: await freePort() };
      trusted = await startOperator({
        kubeconfigPath: gw.cluster.kubeconfigPath, dir: gw.dir, name: 'operator-trusted', fleet: 'trusted', ports,
        // Same Lease as the first operator: this one serves its fleet and leaves status alone.
        extraArgs: ['--trusted-proxy-hops', '1'],
      });
      envoy = await startGatewayEnvoy({ dir: gw.dir, xdsPort: trusted.xdsPort, fleet: 'trusted', name: 'envoy-trusted' });
    }, 120_000);
    afterAll(async () => {
      await envoy.stop();
      await trusted.stop();
    });

    it('takes the client address from the X-Forwarded-For entry the proxy added', async () => {
      const call = callPort(trusted.httpPort);
      const status = async (xff: string): Promise<number> => (await call({ host: BOUND, path: '/deny', localAddress: '127.0.0.30', headers: { 'X-Forwarded-For': xff } })).status;
      await callUntil(() => status('127.0.0.50'), 200);
      // The proxy (127.0.0.30) appended the client it saw: that entry counts, whatever came before.
      expect(await status('127.0.0.2')).toBe(403);
      expect(await status('127.0.0.2, 127.0.0.50')).toBe(200);
      expect(await status('127.0.0.50, 127.0.1.3')).toBe(403);
    });
  });
});

async function callUntil(probe: () => Promise<number>, expected: number): Promise<void> {
  await waitFor(async () => (await probe()) === expected, { what: `status ${expected}`, timeoutMs: 30_000 });
}
