// App limits, special apps, App quotas and App ACLs end to end, in standalone mode as a user runs
// it: `turnpike standalone -f DIR` starts Envoy, authz (in-process), envoyproxy/ratelimit and
// Redis; calls are signed with SDK-HMAC-SHA256 so authz knows the App.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sign } from '@turnpike/sdk';
import { call, json, startStandalone, waitFor, type HttpReply, type TurnpikeProcess } from '../../src';
import { roomInMinute, tally } from './fixture';

interface HuaweiError { error_code: string; error_msg: string; request_id: string }

const HOST = 'apps.example.test';
type AppName = 'gold' | 'silver' | 'metered' | 'blocked' | 'probe';
const credentials = (app: AppName): { key: string; secret: string } => ({ key: `${app}-app-key-0001`, secret: `${app}-app-secret-0001` });

function manifests(): string {
  const api = (name: string): string =>
    `---\napiVersion: turnpike.dev/v1alpha1\nkind: Api\nmetadata: {name: ${name}}\nspec: {groupRef: {name: shop}, method: GET, path: /${name}, auth: {type: APP}, backend: {mock: {body: ${name}}}}\n`;
  const app = (name: AppName, quota = ''): string => `---
apiVersion: v1
kind: Secret
metadata: {name: ${name}-credentials}
stringData: {appKey: ${credentials(name).key}, appSecret: ${credentials(name).secret}}
---
apiVersion: turnpike.dev/v1alpha1
kind: App
metadata: {name: ${name}}
spec: {credentialsSecretRef: {name: ${name}-credentials}, grants: [{kind: ApiGroup, name: shop}]${quota}}
`;
  return `apiVersion: turnpike.dev/v1alpha1
kind: ApiGroup
metadata: {name: shop}
spec: {domains: [{hostname: ${HOST}}]}
${api('limited')}${api('limited-fast')}${api('quota-a')}${api('quota-b')}${api('guarded')}${app('gold')}${app('silver')}${app('metered', ', quota: {limit: 3, unit: MINUTE}')}${app('blocked')}${app('probe')}---
apiVersion: turnpike.dev/v1alpha1
kind: ThrottlePolicy
metadata: {name: per-app}
spec:
  targetRefs: [{kind: Api, name: limited}]
  precision: Exact
  limits: {api: 100, app: 2}
  specialApps: [{name: gold, limit: 4}]
---
apiVersion: turnpike.dev/v1alpha1
kind: ThrottlePolicy
metadata: {name: per-app-fast}
spec:
  targetRefs: [{kind: Api, name: limited-fast}]
  limits: {api: 100, app: 2}
  specialApps: [{name: gold, limit: 4}]
---
apiVersion: turnpike.dev/v1alpha1
kind: AclPolicy
metadata: {name: no-blocked}
spec: {targetRefs: [{kind: Api, name: guarded}], action: DENY, type: APP, apps: [blocked]}
`;
}

describe('App limits, quotas and ACLs (standalone)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-policies-apps-'));
  let gateway: TurnpikeProcess;
  /** A signed GET; `unsigned` headers are added after signing (as a forger would). */
  const signedCall = (app: AppName, p: string, headers: Record<string, string> = {}, unsigned: Record<string, string> = {}): Promise<HttpReply> =>
    call({ port: gateway.httpPort, host: HOST, path: p, headers: { ...sign({ method: 'GET', url: `http://${HOST}${p}`, headers }, credentials(app)), ...unsigned } });
  const calls = async (app: AppName, p: string, n: number): Promise<HttpReply[]> => {
    const replies: HttpReply[] = [];
    for (let i = 0; i < n; i += 1) replies.push(await signedCall(app, p));
    return replies;
  };

  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, 'manifests'));
    fs.writeFileSync(path.join(dir, 'manifests', 'apps.yaml'), manifests());
    gateway = await startStandalone({ manifests: path.join(dir, 'manifests'), dir });
    // Served, authz holds the Apps, and ratelimit knows the limits (the debug copy reports them).
    await waitFor(async () => (await signedCall('probe', '/limited', { 'X-Apig-Mode': 'debug' })).headers['x-apig-ratelimit-app'] !== undefined,
      { what: 'the per-app limit enforced', timeoutMs: 60_000 });
  }, 120_000);
  afterAll(async () => {
    await gateway.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts per App, and gives a special App its own limit', async () => {
    await roomInMinute();
    const silver = await calls('silver', '/limited', 3);
    expect(silver.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(json<HuaweiError>(silver[2]!).error_code).toBe('APIG.0308');
    const gold = await calls('gold', '/limited', 5);
    expect(tally(gold)).toEqual({ 200: 4, 429: 1 });
    const debug = await signedCall('gold', '/limited', { 'X-Apig-Mode': 'debug' });
    expect(debug.headers['x-apig-ratelimit-app']).toBe('remain:0,limit:4,time:1 minute');
    expect(debug.headers['x-apig-ratelimit-api']).toMatch(/^remain:\d+,limit:100,time:1 minute$/);
  });

  it('counts per App inside Envoy with precision Fast (the default for a MINUTE window)', async () => {
    const silver = await calls('silver', '/limited-fast', 3);
    expect(silver.map((r) => r.status)).toEqual([200, 200, 429]);
    expect(json<HuaweiError>(silver[2]!).error_code).toBe('APIG.0308');
    expect(tally(await calls('gold', '/limited-fast', 5))).toEqual({ 200: 4, 429: 1 });
    // Debug mode shows the tightest counter in this Envoy: the App's (2 a minute).
    const debug = await signedCall('probe', '/limited-fast', { 'X-Apig-Mode': 'debug' });
    expect([debug.status, debug.headers['x-apig-ratelimit-app']]).toEqual([200, 'remain:1,limit:2,time:1 minute']);
  });

  it('enforces an App quota across Apis with 405 APIG.0501', async () => {
    await roomInMinute();
    const replies = [...(await calls('metered', '/quota-a', 2)), ...(await calls('metered', '/quota-b', 2))];
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 405]);
    expect(json<HuaweiError>(replies[3]!)).toEqual({
      error_code: 'APIG.0501', error_msg: 'The app quota has been used up.', request_id: replies[3]!.headers['x-request-id'],
    });
    // Other Apps have no quota.
    expect((await signedCall('silver', '/quota-a')).status).toBe(200);
  });

  it('refuses an App an APP AclPolicy denies with 403 APIG.0304', async () => {
    const blocked = await signedCall('blocked', '/guarded');
    expect([blocked.status, json<HuaweiError>(blocked).error_code]).toEqual([403, 'APIG.0304']);
    expect((await signedCall('gold', '/guarded')).body).toBe('guarded');
    // The App is the one authz authenticated: a forged x-turnpike-app-id changes nothing.
    expect((await signedCall('blocked', '/guarded', {}, { 'x-turnpike-app-id': 'default/gold' })).status).toBe(403);
  });
});
