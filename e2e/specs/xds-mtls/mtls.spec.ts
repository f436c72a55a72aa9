// Mutual TLS on xDS against a real API server and a real Envoy: the operator creates its CA and the
// client Secrets, serves ADS only to certificates it issued and only the fleet a certificate names,
// and renews every certificate (60 s validity here, renewed after 40 s) while requests flow through
// Envoy — not one fails, and a restarted operator accepts Envoy's renewed certificate.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { call } from '../../src/http';
import {
  freePort, kubectlOk, readSecret, startProcess, startTestCluster, syncSecretVolume, turnpikeCli, waitFor, type Envoy, type SecretVolume, type TestCluster,
} from '../../src';
import { startLoad, startReplica, type Replica, type ReplicaOptions } from '../ha/replicas';
import { askAds, envoyClientSerials, servedSerial, startTlsEnvoy, type Identity } from './support';

jest.setTimeout(240_000);

const PREFIX = 'tp-xds-tls';

describe('mutual TLS on xDS', () => {
  let cluster: TestCluster;
  let systemNs: string;
  let appsNs: string;
  let dir: string;
  let host: string;
  let common: ReplicaOptions;
  let operator: Replica;
  let envoy: Envoy | undefined;
  let volume: SecretVolume | undefined;
  let certDir: string;
  const secret = async (name: string): Promise<Record<string, string>> => {
    const data = await readSecret(cluster.kubeconfigPath, systemNs, name);
    if (data === undefined) throw new Error(`Secret ${name} is missing`);
    return data;
  };
  const identity = async (name: string): Promise<Identity & { ca: string }> => {
    const data = await secret(name);
    return { cert: data['tls.crt'] ?? '', key: data['tls.key'] ?? '', ca: data['ca.crt'] ?? '' };
  };
  const apply = (yaml: string): Promise<string> => kubectlOk(cluster.kubeconfigPath, ['apply', '-n', appsNs, '-f', '-'], yaml);
  const api = (name: string, route: string): string =>
    `---\napiVersion: turnpike.dev/v1alpha1\nkind: Api\nmetadata: {name: ${name}}\nspec:\n  groupRef: {name: mtls}\n  method: GET\n  path: ${route}\n  backend: {mock: {status: 200, body: ${name}}}\n`;
  const served = (route: string): Promise<unknown> =>
    waitFor(async () => (await call({ port: common.httpPort, host, path: route })).status === 200, { what: `GET ${route} through Envoy`, timeoutMs: 30_000 });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-mtls-'));
    cluster = await startTestCluster();
    systemNs = await cluster.namespace('turnpike-system');
    appsNs = await cluster.namespace('team-mtls');
    host = `mtls.${appsNs}.apigw.localhost`;
    common = {
      identity: 'mtls-a', kubeconfig: cluster.kubeconfigPath, leaseNamespace: systemNs, dir, httpPort: await freePort(), httpsPort: await freePort(),
      extraArgs: ['--xds-tls-secrets', PREFIX, '--xds-tls-server-names', 'localhost', '--xds-tls-validity', '60s'],
    };
    operator = await startReplica(common);
    certDir = path.join(dir, 'envoy-xds-tls');
    // What kubelet does for the chart's Envoy pods: the Secret mounted, updated in place.
    volume = syncSecretVolume(cluster.kubeconfigPath, systemNs, `${PREFIX}-envoy`, certDir);
    await waitFor(() => volume!.projections() >= 1, { what: 'Envoy\'s client Secret in its volume' });
    envoy = await startTlsEnvoy(dir, operator.xdsPort, certDir);
    await apply(`apiVersion: turnpike.dev/v1alpha1\nkind: ApiGroup\nmetadata: {name: mtls}\nspec: {}\n${api('mock', '/mock')}`);
  });

  afterAll(async () => {
    await volume?.stop();
    await envoy?.stop();
    await operator.proc.stop();
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates a CA and the client Secrets of Envoy and ratelimit; Envoy with its certificate gets the configuration and serves', async () => {
    const ca = await secret(`${PREFIX}-ca`);
    expect(Object.keys(ca).sort()).toEqual(['tls.crt', 'tls.key']);
    for (const name of [`${PREFIX}-envoy`, `${PREFIX}-ratelimit`]) {
      expect(Object.keys(await secret(name)).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
      expect((await secret(name))['ca.crt']).toBe(ca['tls.crt']);
    }
    await served('/mock');
    const stats = await (await fetch(`${envoy!.admin}/stats?filter=^(cluster.turnpike-xds.ssl.handshake|control_plane.connected_state)$`)).text();
    expect(stats).toMatch(/cluster\.turnpike-xds\.ssl\.handshake: [1-9]/);
    expect(stats).toContain('control_plane.connected_state: 1');
    // The log names Secrets, never keys.
    expect(fs.readFileSync(operator.proc.logFile, 'utf8')).not.toContain('PRIVATE KEY');
  });

  it('gives a client without a certificate no handshake and no resources', async () => {
    const { ca } = await identity(`${PREFIX}-envoy`);
    const attempt = await askAds(operator.xdsPort, ca, 'turnpike');
    expect(attempt.status.code).toBe(grpc.status.UNAVAILABLE);
    expect(attempt.responses).toEqual([]);
  });

  it('closes the stream of a client whose certificate names another fleet, with PERMISSION_DENIED and no resources, and logs it', async () => {
    const ratelimit = await identity(`${PREFIX}-ratelimit`);
    const attempt = await askAds(operator.xdsPort, ratelimit.ca, 'turnpike', ratelimit);
    expect(attempt.status).toMatchObject({
      code: grpc.status.PERMISSION_DENIED, details: 'node probe-turnpike asks for fleet turnpike but its client certificate names fleet turnpike:ratelimit',
    });
    expect(attempt.responses).toEqual([]);
    expect(operator.logged('ads stream rejected')).toBeGreaterThanOrEqual(1);
    // The same probe with the fleet's own certificate is served: the refusal is about the certificate.
    const envoyId = await identity(`${PREFIX}-envoy`);
    const served = await askAds(operator.xdsPort, envoyId.ca, 'turnpike', envoyId);
    expect(served.responses.map((r) => r.type_url)).toEqual(['type.googleapis.com/envoy.config.cluster.v3.Cluster']);
  });

  it('connects `turnpike envoy --xds-tls-dir` with the same certificate directory', async () => {
    const stateDir = path.join(dir, 'cli-envoy');
    const opened = operator.logged('ads stream opened');
    const cli = startProcess({
      name: 'turnpike-envoy-tls', command: process.execPath, logDir: dir,
      args: [turnpikeCli, 'envoy', '--xds', `127.0.0.1:${operator.xdsPort}`, '--xds-tls-dir', certDir, '--xds-server-name', 'localhost', '--node-id', 'cli-envoy', '--state-dir', stateDir],
    });
    let admin = '';
    try {
      admin = await waitFor(() => {
        const file = path.join(stateDir, 'envoy-admin.addr');
        return fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim() !== '' && `http://${fs.readFileSync(file, 'utf8').trim()}`;
      }, { what: 'the CLI\'s Envoy admin address' });
      await waitFor(async () => {
        const stats = await (await fetch(`${admin}/stats?filter=^(cluster.turnpike-xds.ssl.handshake|control_plane.connected_state)$`)).text();
        return /ssl\.handshake: [1-9]/.test(stats) && stats.includes('control_plane.connected_state: 1');
      }, { what: 'the CLI\'s Envoy connected over mutual TLS' });
      await waitFor(() => operator.logged('ads stream opened') > opened, { what: 'the operator to serve the CLI\'s Envoy' });
    } finally {
      // Time for the CLI to stop its Envoy (it allows Envoy 5 s before SIGKILL), so none outlives the test.
      await cli.stop(15_000);
    }
    // By its process, not its admin port: another process may get that port once it is free.
    if (admin !== '') await waitFor(() => !envoyRunningIn(stateDir), { what: 'the CLI\'s Envoy to exit with it' });
  });

  it('renews the server and client certificates under traffic without a failed call; a restarted operator accepts Envoy\'s renewed certificate', async () => {
    const caBefore = (await secret(`${PREFIX}-ca`))['tls.crt'];
    const envoyId = await identity(`${PREFIX}-envoy`);
    const clientBefore = await envoyClientSerials(envoy!);
    const serverBefore = await servedSerial(operator.xdsPort, envoyId.ca, envoyId);
    expect(clientBefore).toHaveLength(1);
    const traffic = startLoad([{ port: common.httpPort, host, path: '/mock' }]);
    await waitFor(() => traffic.requests() >= 20, { what: 'the load to be flowing' });

    // Envoy reloads its renewed certificate from the volume; the operator serves with a new one.
    await waitFor(async () => {
      const client = await envoyClientSerials(envoy!);
      return client.length === 1 && client[0] !== clientBefore[0];
    }, { what: 'Envoy to load its renewed client certificate', timeoutMs: 90_000, intervalMs: 500 });
    const renewed = await identity(`${PREFIX}-envoy`);
    await waitFor(async () => (await servedSerial(operator.xdsPort, renewed.ca, renewed)) !== serverBefore,
      { what: 'the operator to serve a renewed certificate', timeoutMs: 90_000, intervalMs: 500 });
    // The stream that was open through the rotation still delivers changes.
    await apply(api('during', '/during'));
    await served('/during');

    // A new replica behind the same address: Envoy's next handshake uses its renewed certificate.
    await operator.proc.stop();
    operator = await startReplica({ ...common, identity: 'mtls-b', xdsPort: operator.xdsPort });
    await apply(api('after', '/after'));
    await served('/after');
    const { requests, failures } = await traffic.stop();
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(200);
    expect((await secret(`${PREFIX}-ca`))['tls.crt']).toBe(caBefore);
  });

  it('refuses to serve plaintext xDS on a non-loopback address unless told to, in one line', () => {
    for (const mode of [['operator'], ['standalone', '-f', dir]]) {
      const run = spawnSync(process.execPath, [turnpikeCli, ...mode, '--xds-host', '0.0.0.0'], { encoding: 'utf8', timeout: 30_000 });
      expect(run.status).toBe(2);
      expect(run.stderr).toBe('turnpike: --xds-host 0.0.0.0 is not a loopback address: serve xDS with mutual TLS (--xds-tls-secrets or --xds-tls-dir), or pass --xds-insecure to serve it in plaintext\n');
    }
  });
});

/** Whether an Envoy process whose command line names `dir` (its bootstrap there) is running. */
function envoyRunningIn(dir: string): boolean {
  return fs.readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).some((pid) => {
    try {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return path.basename(argv[0] ?? '') === 'envoy' && argv.some((arg) => arg.startsWith(dir));
    } catch {
      return false;
    }
  });
}
