// envoyproxy/ratelimit is an xDS client too: with the certificate the operator issues for the
// rate-limit fleet (mounted as the chart mounts it, the environment the chart sets) it receives its
// RateLimitConfig over mutual TLS; with Envoy's certificate it is refused and never starts serving.
// It reads its certificate only at start, so the operator restarts its Deployment (a pod-template
// annotation, as `kubectl rollout restart` does) whenever the certificate is renewed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { fleetUri, rateLimitFleet } from '@turnpike/xds-server';
import {
  freePort, isListening, kubectl, kubectlOk, readSecret, startRateLimit, startRedis, startTestCluster, syncSecretVolume, waitFor, waitRateLimitReady,
  type RateLimit, type Redis, type SecretVolume, type TestCluster,
} from '../../src';
import { createCa, issueLeaf } from '../../../operator/src/pki';
import { startReplica, type Replica } from '../ha/replicas';

jest.setTimeout(120_000);

const PREFIX = 'tp-xds-tls';

/** The chart's ratelimit Deployment as the API server holds it (no kubelet here runs its pods). */
const deployment = (name: string): string => [
  'apiVersion: apps/v1', 'kind: Deployment', `metadata: {name: ${name}}`,
  'spec: {selector: {matchLabels: {app: rl}}, template: {metadata: {labels: {app: rl}}, spec: {containers: [{name: ratelimit, image: envoyproxy/ratelimit}]}}}', '',
].join('\n');

describe('ratelimit over mutual TLS', () => {
  let cluster: TestCluster;
  let systemNs: string;
  let dir: string;
  let operator: Replica;
  let redis: Redis;
  const volumes: SecretVolume[] = [];
  const services: RateLimit[] = [];
  const replicas: Replica[] = [];
  let grpcPort = 0;

  /** The chart's ratelimit environment for xDS TLS, with the files of `secret` mounted as kubelet would. */
  const tlsEnv = async (secret: string): Promise<Record<string, string>> => {
    const mount = path.join(dir, secret);
    const volume = syncSecretVolume(cluster.kubeconfigPath, systemNs, secret, mount);
    volumes.push(volume);
    await waitFor(() => volume.projections() >= 1, { what: `Secret ${secret} in its volume` });
    return {
      CONFIG_GRPC_XDS_SERVER_USE_TLS: 'true', CONFIG_GRPC_XDS_CLIENT_TLS_CERT: path.join(mount, 'tls.crt'), CONFIG_GRPC_XDS_CLIENT_TLS_KEY: path.join(mount, 'tls.key'),
      CONFIG_GRPC_XDS_SERVER_TLS_CACERT: path.join(mount, 'ca.crt'), CONFIG_GRPC_XDS_SERVER_TLS_SAN: 'localhost',
    };
  };
  const start = async (name: string, secret: string, port?: number): Promise<RateLimit> => {
    const service = await startRateLimit({
      dir, redisPort: redis.port, xdsServer: `127.0.0.1:${operator.xdsPort}`, nodeId: name, fleet: rateLimitFleet('turnpike'),
      env: await tlsEnv(secret), ...(port === undefined ? {} : { grpcPort: port }),
    });
    services.push(service);
    return service;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-mtls-rl-'));
    cluster = await startTestCluster();
    systemNs = await cluster.namespace('turnpike-system');
    redis = await startRedis(dir);
    grpcPort = await freePort();
    for (const name of ['tp-ratelimit', 'tp-ratelimit-cm']) await kubectlOk(cluster.kubeconfigPath, ['apply', '-n', systemNs, '-f', '-'], deployment(name));
    operator = await startReplica({
      identity: 'mtls-rl', kubeconfig: cluster.kubeconfigPath, leaseNamespace: systemNs, dir, httpPort: await freePort(), httpsPort: await freePort(),
      extraArgs: [
        '--xds-tls-secrets', PREFIX, '--xds-tls-server-names', 'localhost', '--xds-tls-validity', '60s',
        '--ratelimit-address', `127.0.0.1:${grpcPort}`, '--ratelimit-deployment', 'tp-ratelimit',
      ],
    });
  });

  afterAll(async () => {
    for (const volume of volumes) await volume.stop();
    for (const service of services) await service.stop();
    await redis.stop();
    await operator.proc.stop();
    for (const replica of replicas) await replica.proc.stop();
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses ratelimit presenting the Envoy fleet\'s certificate: it never gets its configuration', async () => {
    const impostor = await start('ratelimit-with-envoy-cert', `${PREFIX}-envoy`);
    await waitFor(() => operator.logged('ads stream rejected') >= 1, { what: 'the operator to refuse the stream' });
    const line = fs.readFileSync(operator.proc.logFile, 'utf8').split('\n').find((l) => l.includes('ads stream rejected')) ?? '';
    expect(line).toContain('node ratelimit-with-envoy-cert asks for fleet turnpike:ratelimit but its client certificate names fleet turnpike');
    expect(await isListening(impostor.grpcPort)).toBe(false);
    expect(operator.logged('ads stream opened')).toBe(0);
    await impostor.stop();
  });

  it('serves ratelimit with its own certificate its RateLimitConfig', async () => {
    const ratelimit = await start('ratelimit-0', `${PREFIX}-ratelimit`, grpcPort);
    // ratelimit opens its gRPC port only once the first RateLimitConfig arrived over xDS.
    await waitRateLimitReady(ratelimit);
    expect(operator.logged('ads stream opened')).toBe(1);
  });

  it('restarts ratelimit\'s Deployment each time its certificate is renewed', async () => {
    const serialInSecret = async (): Promise<string> =>
      new X509Certificate((await readSecret(cluster.kubeconfigPath, systemNs, `${PREFIX}-ratelimit`))?.['tls.crt'] ?? '').serialNumber.toLowerCase();
    const annotated = async (): Promise<string> => (await kubectl(cluster.kubeconfigPath,
      ['get', 'deployment', '-n', systemNs, 'tp-ratelimit', '-o', 'jsonpath={.spec.template.metadata.annotations.turnpike\\.dev/xds-tls-serial}'])).stdout;
    const first = await serialInSecret();
    await waitFor(async () => (await annotated()) === first, { what: 'the Deployment to carry the current certificate\'s serial' });
    // 60 s certificates are renewed after 40 s.
    await waitFor(async () => (await serialInSecret()) !== first, { what: 'the ratelimit certificate to be renewed', timeoutMs: 60_000, intervalMs: 500 });
    const renewed = await serialInSecret();
    await waitFor(async () => (await annotated()) === renewed, { what: 'the Deployment to be restarted for the renewed certificate' });
  });

  it('restarts ratelimit when cert-manager renews its certificate (--xds-tls-dir with --ratelimit-xds-secret)', async () => {
    const day = { notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000) };
    const ca = createCa('cert-manager stand-in', day);
    const serverDir = path.join(dir, 'cm-server');
    fs.mkdirSync(serverDir);
    const serving = issueLeaf(ca, { commonName: 'localhost', usage: 'server', validity: day, dnsNames: ['localhost'] });
    fs.writeFileSync(path.join(serverDir, 'tls.crt'), serving.cert);
    fs.writeFileSync(path.join(serverDir, 'tls.key'), serving.key);
    fs.writeFileSync(path.join(serverDir, 'ca.crt'), ca.cert);
    /** Writes ratelimit's Secret as cert-manager would, with a new certificate; returns its serial. */
    const renew = async (): Promise<string> => {
      const leaf = issueLeaf(ca, { commonName: 'ratelimit', usage: 'client', validity: day, uris: [fleetUri(rateLimitFleet('turnpike'))] });
      const data = { 'tls.crt': leaf.cert, 'tls.key': leaf.key, 'ca.crt': ca.cert };
      await kubectlOk(cluster.kubeconfigPath, ['apply', '-n', systemNs, '-f', '-'], JSON.stringify({
        apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'tp-cm-ratelimit' },
        data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      }));
      return new X509Certificate(leaf.cert).serialNumber.toLowerCase();
    };
    const annotated = async (): Promise<string> => (await kubectl(cluster.kubeconfigPath,
      ['get', 'deployment', '-n', systemNs, 'tp-ratelimit-cm', '-o', 'jsonpath={.spec.template.metadata.annotations.turnpike\\.dev/xds-tls-serial}'])).stdout;
    const first = await renew();
    replicas.push(await startReplica({
      identity: 'mtls-rl-cm', kubeconfig: cluster.kubeconfigPath, leaseNamespace: systemNs, dir, httpPort: await freePort(), httpsPort: await freePort(),
      extraArgs: ['--xds-tls-dir', serverDir, '--ratelimit-deployment', 'tp-ratelimit-cm', '--ratelimit-xds-secret', 'tp-cm-ratelimit'],
    }));
    await waitFor(async () => (await annotated()) === first, { what: 'the Deployment to carry the certificate\'s serial' });
    const second = await renew();
    await waitFor(async () => (await annotated()) === second, { what: 'the Deployment to be restarted for the renewed certificate', timeoutMs: 30_000 });
  });
});
