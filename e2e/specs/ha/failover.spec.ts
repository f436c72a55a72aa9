// High availability against the real API server, with the default Lease timings (15 s / 10 s / 2 s):
// two `turnpike operator` replicas, exactly one writes status; the leader is SIGKILLed while
// requests flow through an Envoy connected to it — the other replica takes over within the lease
// duration, Envoy reconnects to it and not one request fails; then SIGTERM drains the new leader:
// the Lease is handed over at once and, again, not one request fails.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEchoServer, type EchoServer } from '@turnpike/operator';
import { DEFAULT_TIMINGS } from '../../../operator/src/leader/lease';
import { call } from '../../src/http';
import { freePort, kubectl, kubectlOk, startTestCluster, waitFor, type Envoy, type TestCluster } from '../../src';
import { startHaEnvoy, startLoad, startReplica, waitConnectedTo, type Load, type Replica, type ReplicaOptions } from './replicas';

jest.setTimeout(180_000);

describe('control plane failover', () => {
  let cluster: TestCluster;
  let systemNs: string;
  let appsNs: string;
  let dir: string;
  let backend: EchoServer;
  let envoy: Envoy | undefined;
  let host: string;
  let common: Omit<ReplicaOptions, 'identity'>;
  const replicas = new Map<string, Replica>();
  /** The xDS port of the replica killed in the second test: a replacement comes up behind it. */
  let deadXdsPort = 0;
  const start = async (identity: string, xdsPort?: number): Promise<Replica> => {
    const replica = await startReplica({ ...common, identity, ...(xdsPort === undefined ? {} : { xdsPort }) });
    replicas.set(identity, replica);
    return replica;
  };
  const holder = async (): Promise<string> =>
    (await kubectl(cluster.kubeconfigPath, ['get', 'lease', '-n', systemNs, 'turnpike-operator', '-o', 'jsonpath={.spec.holderIdentity}'])).stdout;
  const apply = (yaml: string): Promise<string> => kubectlOk(cluster.kubeconfigPath, ['apply', '-n', appsNs, '-f', '-'], yaml);
  const api = (name: string, route: string, backendYaml: string): string =>
    `---\napiVersion: turnpike.dev/v1alpha1\nkind: Api\nmetadata: {name: ${name}}\nspec:\n  groupRef: {name: ha}\n  method: GET\n  path: ${route}\n  backend: ${backendYaml}\n`;
  const served = (route: string): Promise<unknown> =>
    waitFor(async () => (await call({ port: common.httpPort, host, path: route })).status === 200, { what: `GET ${route} through Envoy`, timeoutMs: 30_000 });
  /** Requests flowing (and already succeeding) through Envoy. */
  const load = async (): Promise<Load> => {
    const traffic = startLoad([{ port: common.httpPort, host, path: '/mock' }, { port: common.httpPort, host, path: '/echo' }]);
    await waitFor(() => traffic.requests() >= 20, { what: 'the load to be flowing' });
    return traffic;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-ha-'));
    cluster = await startTestCluster();
    systemNs = await cluster.namespace('turnpike-system');
    appsNs = await cluster.namespace('team-ha');
    host = `ha.${appsNs}.apigw.localhost`;
    backend = await startEchoServer({ name: 'ha-backend' });
    common = { kubeconfig: cluster.kubeconfigPath, leaseNamespace: systemNs, dir, httpPort: await freePort(), httpsPort: await freePort() };
  });

  afterAll(async () => {
    await envoy?.stop();
    for (const replica of replicas.values()) await replica.proc.stop();
    await backend.close();
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves xDS from every replica while exactly one (the Lease holder) writes status', async () => {
    const a = await start('replica-a');
    await waitFor(async () => (await holder()) === 'replica-a', { what: 'replica-a to lead' });
    const bXdsPort = await freePort();
    // Envoy knows both replicas, as the headless xDS Service's DNS answer lists them; it connects to
    // the leader (the other one is not up yet), which is the replica the next test kills.
    envoy = await startHaEnvoy(dir, [a.xdsPort, bXdsPort]);
    await waitConnectedTo(envoy, a.xdsPort);
    const b = await start('replica-b', bXdsPort);

    await apply(`apiVersion: turnpike.dev/v1alpha1\nkind: ApiGroup\nmetadata: {name: ha}\nspec:\n  environments: [{name: RELEASE, variables: {port: "${backend.port}"}}]\n` +
      api('mock', '/mock', '{mock: {status: 200, body: ok}}') +
      api('echo', '/echo', '{retries: 0, url: {scheme: HTTP, host: "127.0.0.1:#port#", path: /echo}}'));
    await served('/mock');
    await served('/echo');
    await waitFor(async () => (await kubectl(cluster.kubeconfigPath, ['get', 'apis.turnpike.dev', 'echo', '-n', appsNs, '-o', 'jsonpath={.status.conditions[?(@.type=="Programmed")].status}'])).stdout === 'True',
      { what: 'the Api to be Programmed' });
    expect(await holder()).toBe('replica-a');
    expect(a.logged('status written')).toBeGreaterThan(0);
    expect(b.logged('status written')).toBe(0);
    expect((await fetch(`http://127.0.0.1:${b.healthPort}/readyz`)).status).toBe(200);
  });

  it('fails over within the lease duration when the leader is SIGKILLed; Envoy reconnects and no request fails', async () => {
    const [a, b] = [replicas.get('replica-a')!, replicas.get('replica-b')!];
    const traffic = await load();
    deadXdsPort = a.xdsPort;
    const killedAt = Date.now();
    process.kill(a.proc.pid, 'SIGKILL');
    expect(await a.proc.exited).toBe('SIGKILL');
    replicas.delete('replica-a');

    await waitConnectedTo(envoy!, b.xdsPort);
    const reconnectedMs = Date.now() - killedAt;
    await waitFor(async () => (await holder()) === 'replica-b', { what: 'replica-b to take the Lease over', timeoutMs: 40_000, intervalMs: 50 });
    const takeoverMs = Date.now() - killedAt;
    const { leaseDurationMs, retryPeriodMs } = DEFAULT_TIMINGS;
    // The dead leader's last renewal was at most one retry period before the kill; after expiry the
    // follower acquires at its next jittered retry (< 2.2 retry periods).
    expect(takeoverMs).toBeGreaterThanOrEqual(leaseDurationMs - 2 * retryPeriodMs);
    expect(takeoverMs).toBeLessThanOrEqual(leaseDurationMs + 2 * retryPeriodMs * 2.2 + 500);
    expect(reconnectedMs).toBeLessThan(leaseDurationMs);

    // The new leader feeds Envoy and writes status: a change after the failover is served and Programmed.
    await apply(api('after', '/after', '{mock: {status: 200, body: after}}'));
    await served('/after');
    await waitFor(async () => (await kubectl(cluster.kubeconfigPath, ['get', 'apis.turnpike.dev', 'after', '-n', appsNs, '-o', 'jsonpath={.status.conditions[?(@.type=="Programmed")].status}'])).stdout === 'True',
      { what: 'the new Api to be Programmed by the new leader' });
    expect(b.logged('status written')).toBeGreaterThan(0);

    const { requests, failures } = await traffic.stop();
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(200);
  });

  it('drains on SIGTERM: exits cleanly, hands the Lease over at once, Envoy moves, no request fails', async () => {
    const b = replicas.get('replica-b')!;
    // A replacement replica behind the address of the one that died (a new pod behind the Service).
    const c = await start('replica-c', deadXdsPort);
    expect(c.logged('status written')).toBe(0);
    const traffic = await load();
    const stoppedAt = Date.now();
    process.kill(b.proc.pid, 'SIGTERM');
    expect(await b.proc.exited).toBe('exit code 0');
    const exitMs = Date.now() - stoppedAt;
    replicas.delete('replica-b');
    await waitFor(async () => (await holder()) === 'replica-c', { what: 'replica-c to take the released Lease', intervalMs: 50 });
    const takeoverMs = Date.now() - stoppedAt;
    await waitConnectedTo(envoy!, c.xdsPort);
    const { requests, failures } = await traffic.stop();

    expect(exitMs).toBeLessThan(5_000);
    // Released, not expired: the standby acquires at its next retry, long before leaseDuration.
    expect(takeoverMs).toBeLessThan(DEFAULT_TIMINGS.retryPeriodMs * 2.2 + 3_000);
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(50);
  });
});
