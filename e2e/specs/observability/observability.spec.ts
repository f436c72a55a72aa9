// What a platform team reads after real traffic, in standalone mode as a user runs it: the control
// plane's /metrics (--health-port), Envoy's /stats/prometheus, and the access log (--access-log).
// Signed, throttled, denied and unknown calls go through the real Envoy, authn filter,
// envoyproxy/ratelimit and Redis. The tests run in order on one gateway: the last two read the
// NACK and the traffic of the ones before.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sign } from '@turnpike/sdk';
import { call, freePort, repoRoot, scrape, startStandalone, total, turnpikeCli, waitFor, type HttpReply, type Sample, type TurnpikeProcess } from '../../src';
import { roomInMinute } from '../policies/fixture';

const HOST = 'observe.example.test';
const APP = { key: 'observer-app-key-0001', secret: 'observer-app-secret-0001-DO-NOT-LOG' };
const FLEET = 'turnpike';

function manifests(backendPort: number): string {
  const api = (name: string, spec: string): string =>
    `---\napiVersion: turnpike.dev/v1alpha1\nkind: Api\nmetadata: {name: ${name}}\nspec: {groupRef: {name: shop}, method: GET, path: /${name}, ${spec}}\n`;
  const forward = `backend: {url: {scheme: HTTP, host: "127.0.0.1:${backendPort}", path: /echo}}`;
  return `apiVersion: turnpike.dev/v1alpha1
kind: ApiGroup
metadata: {name: shop}
spec: {domains: [{hostname: ${HOST}}]}
${api('open', forward)}${api('signed', `auth: {type: APP}, ${forward}`)}${api('signed-fast', 'auth: {type: APP}, backend: {mock: {body: ok}}')}${api('limited', 'backend: {mock: {body: ok}}')}${api('limited-fast', 'backend: {mock: {body: ok}}')}---
apiVersion: v1
kind: Secret
metadata: {name: observer-credentials}
stringData: {appKey: ${APP.key}, appSecret: ${APP.secret}}
---
apiVersion: turnpike.dev/v1alpha1
kind: App
metadata: {name: observer}
spec: {credentialsSecretRef: {name: observer-credentials}, grants: [{kind: ApiGroup, name: shop}]}
---
apiVersion: turnpike.dev/v1alpha1
kind: ThrottlePolicy
metadata: {name: tight}
spec: {targetRefs: [{kind: Api, name: limited}], limits: {api: 2}, precision: Exact}
---
apiVersion: turnpike.dev/v1alpha1
kind: ThrottlePolicy
metadata: {name: tight-fast}
spec: {targetRefs: [{kind: Api, name: limited-fast}], limits: {api: 2}, precision: Fast}
---
apiVersion: turnpike.dev/v1alpha1
kind: ThrottlePolicy
metadata: {name: app-fast}
spec: {targetRefs: [{kind: Api, name: signed-fast}], limits: {api: 10, app: 1}, precision: Fast}
`;
}

/** A kubernetes.io/tls Secret Envoy cannot load: its snapshot is NACKed. */
const BROKEN_TLS = `apiVersion: v1
kind: Secret
metadata: {name: broken-tls}
type: kubernetes.io/tls
stringData:
  tls.crt: "-----BEGIN CERTIFICATE-----\\nTUlJQm5vdGFjZXJ0\\n-----END CERTIFICATE-----\\n"
  tls.key: "-----BEGIN PRIVATE KEY-----\\nTUlJQm5vdGFrZXk=\\n-----END PRIVATE KEY-----\\n"
---
apiVersion: turnpike.dev/v1alpha1
kind: ApiGroup
metadata: {name: broken}
spec: {domains: [{hostname: broken.example.test, tls: {secretName: broken-tls}}]}
`;

interface AccessLine { readonly [field: string]: string | number | null }

describe('observability (standalone)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-observability-'));
  const manifestDir = path.join(dir, 'manifests');
  const accessLog = path.join(dir, 'access.log');
  let gateway: TurnpikeProcess;
  let healthPort: number;
  let envoyAdmin: string;
  const metrics = (): Promise<Sample[]> => scrape(`http://127.0.0.1:${healthPort}/metrics`);
  const envoyStats = (): Promise<Sample[]> => scrape(`${envoyAdmin}/stats/prometheus`);
  const get = (p: string, headers: Record<string, string> = {}): Promise<HttpReply> => call({ port: gateway.httpPort, host: HOST, path: p, headers });
  const signed = (p: string): Promise<HttpReply> => get(p, sign({ method: 'GET', url: `http://${HOST}${p}` }, APP));
  /** The access log line of a call, by its X-Request-Id (Envoy flushes the file every few seconds). */
  const logged = (reply: HttpReply): Promise<AccessLine> => waitFor(() => {
    const id = reply.headers['x-request-id'];
    const lines = fs.existsSync(accessLog) ? fs.readFileSync(accessLog, 'utf8').split('\n').filter((l) => l !== '') : [];
    return lines.map((l) => JSON.parse(l) as AccessLine).find((l) => l.request_id === id);
  }, { what: `the access log line of ${String(reply.headers['x-request-id'])}`, timeoutMs: 30_000, intervalMs: 200 });

  beforeAll(async () => {
    const backendPort = await freePort();
    healthPort = await freePort();
    fs.mkdirSync(manifestDir);
    fs.writeFileSync(path.join(manifestDir, 'shop.yaml'), manifests(backendPort));
    gateway = await startStandalone({
      manifests: manifestDir, dir,
      extraArgs: ['--demo-backends', String(backendPort), '--health-port', String(healthPort), '--access-log', accessLog],
    });
    const adminFile = path.join(dir, 'standalone', 'envoy-admin.addr');
    envoyAdmin = `http://${await waitFor(() => (fs.existsSync(adminFile) ? fs.readFileSync(adminFile, 'utf8').trim() || undefined : undefined), { what: 'Envoy\'s admin address' })}`;
    // Served: Envoy forwards, the authn filter knows the App, ratelimit knows the limit.
    await waitFor(async () => (await signed('/signed')).status === 200, { what: 'the signed Api served', timeoutMs: 60_000 });
    await waitFor(async () => (await get('/limited', { 'X-Apig-Mode': 'debug' })).headers['x-apig-ratelimit-api'] !== undefined,
      { what: 'the limit enforced', timeoutMs: 60_000 });
  }, 120_000);
  afterAll(async () => {
    await gateway.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves control-plane metrics on the health port: fleet, pushes, ACKs, objects, leader', async () => {
    const samples = await waitFor(async () => {
      const s = await metrics();
      return total(s, 'turnpike_objects', { kind: 'Api', condition: 'Programmed', status: 'True' }) === 5 ? s : undefined;
    }, { what: 'five Apis Programmed in turnpike_objects', timeoutMs: 20_000 });
    expect(total(samples, 'turnpike_xds_clients_connected', { fleet: FLEET })).toBe(1);
    expect(total(samples, 'turnpike_xds_clients_connected', { fleet: `${FLEET}:ratelimit` })).toBe(1);
    for (const type of ['Cluster', 'Listener', 'RouteConfiguration', 'TypedExtensionConfig']) {
      expect({ type, pushes: total(samples, 'turnpike_xds_pushes_total', { fleet: FLEET, type }) > 0 }).toEqual({ type, pushes: true });
      expect({ type, acks: total(samples, 'turnpike_xds_acks_total', { fleet: FLEET, type }) > 0 }).toEqual({ type, acks: true });
    }
    expect(total(samples, 'turnpike_xds_acks_total', { fleet: `${FLEET}:ratelimit`, type: 'RateLimitConfig' })).toBeGreaterThan(0);
    expect(total(samples, 'turnpike_xds_nacks_total')).toBe(0);
    expect(total(samples, 'turnpike_objects', { kind: 'App', condition: 'Accepted', status: 'True' })).toBe(1);
    expect(total(samples, 'turnpike_objects', { kind: 'ThrottlePolicy', condition: 'Programmed', status: 'True' })).toBe(3);
    expect(total(samples, 'turnpike_xds_snapshot_resources', { fleet: FLEET, type: 'Listener' })).toBeGreaterThan(0);
    expect(total(samples, 'turnpike_xds_snapshot_bytes', { fleet: FLEET })).toBeGreaterThan(0);
    expect(total(samples, 'turnpike_xds_sync_duration_seconds_count', { fleet: FLEET })).toBeGreaterThan(0);
    expect(total(samples, 'turnpike_translation_duration_seconds_count')).toBeGreaterThan(0);
    expect(total(samples, 'turnpike_leader')).toBe(1);
    expect(total(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts calls per Api and environment in Envoy\'s stats', async () => {
    const before = total(await envoyStats(), 'envoy_vhost_route_upstream_rq_total', { turnpike_api: 'default/open', turnpike_environment: 'RELEASE' });
    for (let i = 0; i < 3; i += 1) expect((await get('/open')).status).toBe(200);
    const samples = await waitFor(async () => {
      const s = await envoyStats();
      return total(s, 'envoy_vhost_route_upstream_rq_time_count', { turnpike_api: 'default/open' }) >= before + 3 ? s : undefined;
    }, { what: 'three calls in Envoy\'s upstream_rq_time of default/open', timeoutMs: 20_000, intervalMs: 500 });
    const labels = { envoy_virtual_host: 'default/shop', turnpike_api: 'default/open', turnpike_environment: 'RELEASE' };
    expect(total(samples, 'envoy_vhost_route_upstream_rq_total', labels)).toBe(before + 3);
    expect(total(samples, 'envoy_vhost_route_upstream_rq_xx', { ...labels, envoy_response_code_class: '2' })).toBe(before + 3);
    // The signed Api is counted apart.
    expect(total(samples, 'envoy_vhost_route_upstream_rq_total', { turnpike_api: 'default/signed' })).toBeGreaterThan(0);
  });

  it('counts each App\'s calls by Api, environment and status, their latency, and authn refusals by code', async () => {
    const app = { turnpike_app: 'default/observer', turnpike_environment: 'RELEASE' };
    const signedOk = { ...app, turnpike_api: 'default/signed', turnpike_response_code: '200' };
    const fastRefused = { ...app, turnpike_api: 'default/signed-fast', turnpike_response_code: '429' };
    const unsignedRefused = { turnpike_api: 'default/signed', turnpike_environment: 'RELEASE', turnpike_error_code: 'APIG.0303' };
    const before = await envoyStats();
    for (let i = 0; i < 3; i += 1) expect((await signed('/signed')).status).toBe(200);
    // limits.app 1 per minute, Fast (a full bucket of one): the second call is refused after authn.
    const fast = [await signed('/signed-fast'), await signed('/signed-fast')];
    expect(fast.map((r) => r.status)).toEqual([200, 429]);
    expect((await get('/signed')).status).toBe(401);
    const counted = (s: Sample[]): number[] => [
      total(s, 'turnpike_app_rq_total', signedOk), total(s, 'turnpike_app_rq_time_count', { ...app, turnpike_api: 'default/signed' }),
      total(s, 'turnpike_app_rq_total', fastRefused), total(s, 'turnpike_authn_denied_total', unsignedRefused),
    ];
    const was = counted(before);
    const expected = [was[0]! + 3, was[1]! + 3, was[2]! + 1, was[3]! + 1];
    const samples = await waitFor(async () => {
      const s = await envoyStats();
      return counted(s).every((n, i) => n === expected[i]) ? s : undefined;
    }, { what: `per-App counts ${JSON.stringify(expected)} in Envoy's stats`, timeoutMs: 20_000, intervalMs: 500 });
    // The latency histogram's buckets are labelled the same way; no label holds anything else.
    expect(total(samples, 'turnpike_app_rq_time_bucket', { ...app, turnpike_api: 'default/signed', le: '+Inf' })).toBe(expected[1]);
    const names = samples.filter((m) => m.name.startsWith('turnpike_')).map((m) => [m.name, ...Object.keys(m.labels).sort()].join(' '));
    expect(new Set(names.map((n) => n.replace(/^(turnpike_app_rq_time)_(bucket|sum|count)/, '$1')))).toEqual(new Set([
      'turnpike_app_rq_total turnpike_api turnpike_app turnpike_environment turnpike_response_code',
      'turnpike_app_rq_time turnpike_api turnpike_app turnpike_environment',
      'turnpike_app_rq_time le turnpike_api turnpike_app turnpike_environment',
      'turnpike_authn_denied_total turnpike_api turnpike_environment turnpike_error_code',
    ]));
  });

  it('writes one JSON line per call, field by field, with the App, the error code and no secret', async () => {
    const ok = await signed('/signed?token=query-value-never-logged');
    expect(ok.status).toBe(200);
    const line = await logged(ok);
    expect(line).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
      request_id: ok.headers['x-request-id'],
      group: 'default/shop', api: 'default/signed', environment: 'RELEASE', app: 'default/observer',
      client_ip: '127.0.0.1', method: 'GET', host: HOST, path: '/signed', status: 200, error_code: null, response_flags: '-',
      latency_ms: expect.any(Number) as unknown, upstream_latency_ms: expect.any(Number) as unknown,
      upstream_host: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as unknown,
      bytes_received: 0, bytes_sent: expect.any(Number) as unknown,
    });
    expect(line.bytes_sent).toBe(Buffer.byteLength(ok.body));

    const unsigned = await get('/signed');
    expect(await logged(unsigned)).toMatchObject({ api: 'default/signed', app: null, status: 401, error_code: 'APIG.0303', upstream_latency_ms: null });
    const unknown = await get('/nowhere');
    expect(await logged(unknown)).toMatchObject({ group: null, api: null, status: 404, error_code: 'APIG.0101' });

    const log = fs.readFileSync(accessLog, 'utf8');
    for (const secret of [APP.secret, 'query-value-never-logged', 'SDK-HMAC-SHA256', 'Signature=']) expect({ secret, logged: log.includes(secret) }).toEqual({ secret, logged: false });
  });

  it('shows a throttled call as 429 APIG.0308 in the access log', async () => {
    await roomInMinute();
    const replies: HttpReply[] = [];
    for (let i = 0; i < 4; i += 1) replies.push(await get('/limited'));
    const throttled = replies.find((r) => r.status === 429);
    expect(throttled).toBeDefined();
    expect(await logged(throttled!)).toMatchObject({ api: 'default/limited', environment: 'RELEASE', status: 429, error_code: 'APIG.0308', response_flags: 'RL' });
    // Counted in Envoy (precision Fast): the same answer and log line.
    const fast: HttpReply[] = [];
    for (let i = 0; i < 4; i += 1) fast.push(await get('/limited-fast'));
    const refused = fast.find((r) => r.status === 429);
    expect(refused).toBeDefined();
    expect(await logged(refused!)).toMatchObject({ api: 'default/limited-fast', environment: 'RELEASE', status: 429, error_code: 'APIG.0308', response_flags: 'RL' });
  });

  it('counts a NACK per fleet and type when Envoy refuses a configuration', async () => {
    fs.writeFileSync(path.join(manifestDir, 'broken.yaml'), BROKEN_TLS);
    // The NACK is counted as it arrives; the group's Programmed=False follows once the pipeline
    // has derived it from that NACK: wait for both.
    const rejected = (s: Sample[]): number => total(s, 'turnpike_objects', { kind: 'ApiGroup', condition: 'Programmed', status: 'False', reason: 'Rejected' });
    const samples = await waitFor(async () => {
      const s = await metrics();
      return total(s, 'turnpike_xds_nacks_total', { fleet: FLEET }) > 0 && rejected(s) > 0 ? s : undefined;
    }, { what: 'a NACK in turnpike_xds_nacks_total and the group Rejected', timeoutMs: 20_000 });
    const nacked = samples.filter((s) => s.name === 'turnpike_xds_nacks_total' && s.value > 0).map((s) => s.labels.type);
    expect(nacked.length).toBeGreaterThan(0);
    expect(rejected(samples)).toBe(1);
  });

  it('shows the fleet and every object\'s conditions with `turnpike status`', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [turnpikeCli, 'status', '--server', `127.0.0.1:${healthPort}`]);
    const lines = stdout.split('\n').map((l) => l.split(/\s{3,}/));
    expect(lines[0]).toEqual(['FLEET', 'NODE', 'STREAMS', 'ACKED SNAPSHOT', 'CURRENT', 'NACKED']);
    const envoy = lines.find((l) => l[0] === FLEET && l[1]?.startsWith('standalone-') === true);
    // The Envoy still has the broken group's snapshot NACKed: its last fully ACKed one is older.
    expect(envoy?.slice(2, 3)).toEqual(['1']);
    expect(envoy?.[5]).toMatch(/^(Listener|Secret|RouteConfiguration|ScopedRouteConfiguration): /);
    expect(lines.find((l) => l[0] === `${FLEET}:ratelimit`)?.slice(2, 3)).toEqual(['1']);
    expect(lines).toContainEqual(['Api', 'default', 'open', '1', 'True', 'True', 'True']);
    expect(lines).toContainEqual(['App', 'default', 'observer', '1', 'True', 'True', 'True']);
    const broken = lines.find((l) => l[0] === 'ApiGroup' && l[2] === 'broken');
    expect(broken?.slice(4, 7)).toEqual(['True', 'True', 'False']);
    expect(broken?.[7]).toMatch(/^Programmed Rejected: /);
  });

  it('has a Grafana dashboard whose every query names metrics and labels the gateway exported above', async () => {
    const exported = [...(await metrics()), ...(await envoyStats())];
    const dashboard = JSON.parse(fs.readFileSync(path.join(repoRoot, 'charts', 'turnpike', 'dashboards', 'turnpike.json'), 'utf8')) as {
      panels: { title: string; targets?: { expr: string }[] }[];
      templating: { list: { definition?: string }[] };
    };
    const queries = [
      ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: p.title, expr: t.expr }))),
      ...dashboard.templating.list.flatMap((v) => (v.definition === undefined ? [] : [{ where: 'variables', expr: v.definition.replace(/^label_values\((\w+), (\w+)\)$/, '$1{$2=""}') }])),
    ];
    expect(queries.length).toBeGreaterThan(15);
    for (const { where, expr } of queries) {
      const labels = [
        ...[...expr.matchAll(/([a-z_]+)\s*(?:=~|!=|!~|=)\s*"/g)].map((m) => m[1]!),
        ...[...expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim())),
      ].filter((l) => l !== 'le');
      const names = [...expr.matchAll(/\b((?:turnpike|envoy|process|nodejs)_[a-z0-9_]*)/g)].map((m) => m[1]!).filter((n) => !labels.includes(n));
      expect({ where, expr, names: names.length > 0 }).toEqual({ where, expr, names: true });
      const samples = exported.filter((s) => names.includes(s.name));
      for (const name of names) expect({ where, name, exported: exported.some((s) => s.name === name) }).toEqual({ where, name, exported: true });
      for (const label of labels) expect({ where, label, exported: samples.some((s) => label in s.labels) }).toEqual({ where, label, exported: true });
    }
  });
});
