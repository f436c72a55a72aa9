// `helm install` into a bare API server (no CRDs yet), then the chart's workloads run as the chart
// defines them, minus the container runtime: the operator with the chart's arguments, ServiceAccount
// token and RBAC; Envoy with the chart's bootstrap ConfigMap and arguments, after its init container
// copied the authn module into the pod's volume, and with the xDS client certificate Secret the
// operator issued mounted as kubelet would (mutual TLS on xDS, the chart's default). The Api from
// NOTES.txt and the examples are reconciled and served, the APP Api by the authn filter.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  authnModule, binary, call, freePort, isListening, kubectl, kubectlOk, repoRoot, scrape, startControlPlane, startProcess, syncSecretVolume, total, turnpikeCli, waitFor,
  type ControlPlane, type Proc, type SecretVolume,
} from '../../src';
import { chartDir } from '../../src/harness/chart';
import { MODULE_SEARCH_PATH } from '@turnpike/operator';
import { helmOk, parseManifests, valueArgs, type K8sObject } from '../../src/harness/helm';
import { imagePathFrom, parseDockerfile } from './dockerfile';
import { container, envValue, expandArgs, flagValue, initContainer, portNumber } from './support';

jest.setTimeout(180_000);

const NS = 'turnpike-system';
const RELEASE = 'gw';

describe('helm install', () => {
  let plane: ControlPlane;
  let dir: string;
  let ports: { xds: number; health: number; http: number; https: number; admin: number; metrics: number };
  const procs: Proc[] = [];
  let tlsVolume: SecretVolume | undefined;
  const admin = (args: string[], stdin?: string): Promise<string> => kubectlOk(plane.kubeconfigPath, args, stdin);
  const getJson = async <T>(args: string[]): Promise<T> => JSON.parse(await admin([...args, '-o', 'json'])) as T;
  /** The Envoy pod's authn-module volume (an emptyDir) on this machine, and where the pod mounts it. */
  const moduleVolume = (): string => path.join(dir, 'authn-module');
  const envoyDeployment = (): Promise<K8sObject> => getJson<K8sObject>(['get', 'deployment', '-n', NS, `${RELEASE}-turnpike-envoy`]);
  const moduleMount = (envoy: K8sObject): string => container(envoy, 'envoy').volumeMounts!.find((m) => m.name === 'authn-module')!.mountPath;
  /** A path in the Envoy pod, on this machine: under the volume when it is under the mount. */
  const inPod = (mount: string, file: string): string => (file.startsWith(`${mount}/`) ? path.join(moduleVolume(), file.slice(mount.length + 1)) : file);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-helm-install-'));
    plane = await startControlPlane({ dir: path.join(dir, 'cluster') });
    ports = { xds: await freePort(), health: await freePort(), http: await freePort(), https: await freePort(), admin: await freePort(), metrics: await freePort() };
  });

  afterAll(async () => {
    await tlsVolume?.stop();
    for (const proc of procs.reverse()) await proc.stop();
    await plane.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates every object of the chart, its CRDs first (no --wait: nothing runs pods here)', async () => {
    // Only what a loopback test needs differs from the defaults: where xDS, probes and Envoy listen.
    const values = valueArgs({ set: {
      'controlPlane.xdsService.address': '127.0.0.1', 'controlPlane.xdsPort': ports.xds, 'controlPlane.healthPort': ports.health,
      'envoy.containerPorts.http': ports.http, 'envoy.containerPorts.https': ports.https, 'envoy.adminPort': ports.admin,
      'envoy.metricsPort': ports.metrics,
    } });
    await helmOk(['install', RELEASE, chartDir, '--kubeconfig', plane.kubeconfigPath, '--namespace', NS, '--create-namespace', ...values]);
    const manifest = await helmOk(['get', 'manifest', RELEASE, '--kubeconfig', plane.kubeconfigPath, '--namespace', NS]);
    const objects = parseManifests(manifest);
    const found = (await admin(['get', '-n', NS, '-o', 'name', '-f', '-'], manifest)).trim().split('\n');
    expect(found).toHaveLength(objects.length);
    expect(new Set(objects.map((o) => o.kind))).toEqual(new Set([
      'ServiceAccount', 'ConfigMap', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'Service', 'Deployment', 'PodDisruptionBudget', 'NetworkPolicy',
    ]));
    const crds = fs.readdirSync(path.join(chartDir, 'crds')).map((f) => parseManifests(fs.readFileSync(path.join(chartDir, 'crds', f), 'utf8'))[0]!.metadata.name);
    expect(crds).toHaveLength(6);
    await admin(['wait', '--for=condition=Established', '--timeout=60s', ...crds.map((c) => `crd/${c}`)]);
  });

  it('runs the operator with the chart\'s arguments, ServiceAccount token and RBAC: examples reconciled, no forbidden error', async () => {
    const appsNs = 'team-a';
    await admin(['create', 'namespace', appsNs]);
    await admin(['apply', '-n', appsNs, '-f', path.join(repoRoot, 'examples')]);
    // The first Api exactly as NOTES.txt tells the user to create it.
    const notes = await helmOk(['get', 'notes', RELEASE, '--kubeconfig', plane.kubeconfigPath, '--namespace', NS]);
    const snippet = /<<'EOF'\n([\s\S]*?)\n\s*EOF/.exec(notes)?.[1];
    expect(snippet).toBeDefined();
    await admin(['apply', '-n', 'default', '-f', '-'], snippet!.replace(/^ {2}/gm, ''));

    const deployment = await getJson<K8sObject>(['get', 'deployment', '-n', NS, `${RELEASE}-turnpike-operator`]);
    const operator = container(deployment, 'operator');
    const serviceAccount = (deployment.spec as { template: { spec: { serviceAccountName: string } } }).template.spec.serviceAccountName;
    const token = (await admin(['create', 'token', serviceAccount, '-n', NS])).trim();
    const kubeconfig = path.join(dir, 'operator.kubeconfig');
    fs.writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: sa',
      `clusters: [{name: c, cluster: {server: "${plane.server}", certificate-authority: "${plane.pki.caCert}"}}]`,
      `users: [{name: sa, user: {token: "${token}"}}]`,
      'contexts: [{name: sa, context: {cluster: c, user: sa}}]', '',
    ].join('\n'), { mode: 0o600 });
    const podName = `${RELEASE}-turnpike-operator-7d9f8-x2x4q`;
    // The only changes to the chart's arguments: loopback instead of the pod's 0.0.0.0, and the
    // module path in Envoy's pod as this machine's Envoy sees it (its volume is a directory here).
    const mount = moduleMount(await envoyDeployment());
    const modulePath = flagValue(operator.args ?? [], '--authn-module')!;
    expect(modulePath.startsWith(`${mount}/`)).toBe(true);
    const args = [
      ...(operator.args ?? []), '--kubeconfig', kubeconfig, '--xds-host', '127.0.0.1', '--listen-address', '127.0.0.1', '--authn-module', inPod(mount, modulePath),
    ];
    const proc = startProcess({ name: 'operator-chart', command: process.execPath, args: [turnpikeCli, ...args], logDir: dir, env: { POD_NAME: podName, POD_NAMESPACE: NS } });
    procs.push(proc);

    const probe = async (p: string): Promise<number> => (await fetch(`http://127.0.0.1:${portNumber(operator, 'health')}${p}`)).status;
    await waitFor(async () => {
      if (!proc.isRunning()) throw new Error(`operator exited: ${fs.readFileSync(proc.logFile, 'utf8').slice(-2000)}`);
      return (await probe(operator.readinessProbe!.httpGet!.path)) === 200;
    }, { what: 'the chart\'s readiness probe to pass (informers synced)', timeoutMs: 30_000 });
    expect(await probe(operator.livenessProbe!.httpGet!.path)).toBe(200);

    const leaseName = flagValue(operator.args ?? [], '--lease-name')!;
    await waitFor(async () => (await kubectl(plane.kubeconfigPath, ['get', 'lease', '-n', NS, leaseName, '-o', 'jsonpath={.spec.holderIdentity}'])).stdout === podName,
      { what: 'the operator to hold the chart\'s Lease' });
    const kinds = 'apigroups.turnpike.dev,apis.turnpike.dev,apps.turnpike.dev,throttlepolicies.turnpike.dev,aclpolicies.turnpike.dev,signaturekeys.turnpike.dev';
    interface Item { metadata: { name: string; generation: number }; status?: { conditions?: { type: string; observedGeneration?: number }[] } }
    const unreconciled = async (ns: string): Promise<string[]> => (await getJson<{ items: Item[] }>(['get', kinds, '-n', ns])).items
      .filter((i) => !(i.status?.conditions ?? []).some((c) => c.type === 'Accepted' && c.observedGeneration === i.metadata.generation))
      .map((i) => i.metadata.name);
    await waitFor(async () => (await unreconciled(appsNs)).length === 0 && (await unreconciled('default')).length === 0,
      { what: 'every example and the NOTES Api to carry an Accepted condition', timeoutMs: 30_000 });
    expect((await getJson<{ items: Item[] }>(['get', kinds, '-n', appsNs])).items.length).toBeGreaterThanOrEqual(9);
    // Its xDS CA issued ratelimit's certificate and marked ratelimit's pods for it (a rollout).
    await waitFor(async () => (await kubectl(plane.kubeconfigPath, ['get', 'deployment', '-n', NS, `${RELEASE}-turnpike-ratelimit`, '-o',
      'jsonpath={.spec.template.metadata.annotations.turnpike\\.dev/xds-tls-serial}'])).stdout !== '', { what: 'ratelimit\'s Deployment to carry its certificate\'s serial' });
    expect(fs.readFileSync(proc.logFile, 'utf8')).not.toMatch(/forbidden|"status":403|\b403\b/i);
  });

  it('runs the Envoy pod\'s init container: the authn module from the image into the pod\'s volume', async () => {
    // What kubelet does: the image's Node runs the command; the emptyDir is a directory here, and
    // the image holds the module `make setup` built (image.spec.ts replays the Dockerfile so).
    const deployment = await envoyDeployment();
    const copy = initContainer(deployment, 'authn-module');
    const mount = moduleMount(deployment);
    const inImage = imagePathFrom(parseDockerfile(fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8')), 'authn');
    fs.mkdirSync(moduleVolume(), { recursive: true });
    const [node, ...script] = copy.command ?? [];
    expect(node).toBe('/nodejs/bin/node');
    const args = (copy.args ?? []).map((a) => (a === inImage ? authnModule() : inPod(mount, a)));
    expect(args[0]).toBe(authnModule());
    execFileSync(process.execPath, [...script, ...args], { stdio: 'pipe' });
    expect(fs.readdirSync(moduleVolume())).toEqual([path.basename(args[1]!)]);
    expect(fs.readFileSync(args[1]!).equals(fs.readFileSync(authnModule()))).toBe(true);
  });

  it('runs Envoy with the chart\'s bootstrap and arguments: it connects to the xDS Service\'s port and serves the NOTES Api', async () => {
    const deployment = await envoyDeployment();
    const envoy = container(deployment, 'envoy');
    const configMap = await getJson<{ data: Record<string, string> }>(['get', 'configmap', '-n', NS, `${RELEASE}-turnpike-envoy`]);
    const mount = envoy.volumeMounts!.find((m) => m.name === 'bootstrap')!.mountPath;
    const local = path.join(dir, 'envoy-config');
    // The xDS client certificate: the Secret the pod mounts, which the operator created.
    const tlsMount = envoy.volumeMounts!.find((m) => m.name === 'xds-tls')!.mountPath;
    const tlsSecret = (deployment.spec as { template: { spec: { volumes: { name: string; secret?: { secretName: string } }[] } } })
      .template.spec.volumes.find((v) => v.name === 'xds-tls')!.secret!.secretName;
    const tlsLocal = path.join(dir, 'envoy-xds-tls');
    tlsVolume = syncSecretVolume(plane.kubeconfigPath, NS, tlsSecret, tlsLocal);
    await waitFor(() => tlsVolume!.projections() >= 1, { what: `Secret ${tlsSecret} (Envoy's xDS client certificate)` });
    fs.mkdirSync(local, { recursive: true });
    // The mounts' paths inside the files (bootstrap, SDS) as this machine has them.
    for (const [file, content] of Object.entries(configMap.data)) fs.writeFileSync(path.join(local, file), content.replaceAll(mount, local).replaceAll(tlsMount, tlsLocal));
    const podName = `${RELEASE}-turnpike-envoy-5c6b7-q9k2m`;
    // What kubelet does: $(POD_NAME) from the downward API, the ConfigMap mounted at mountPath.
    const args = expandArgs(envoy.args ?? [], { POD_NAME: podName }).map((a) => (a.startsWith(`${mount}/`) ? path.join(local, a.slice(mount.length + 1)) : a));
    // The module directory the pod names in Envoy's environment, as this machine has it.
    expect(envValue(envoy, MODULE_SEARCH_PATH)).toBe(moduleMount(deployment));
    const proc = startProcess({ name: 'envoy-chart', command: binary('envoy'), args, logDir: dir, env: { [MODULE_SEARCH_PATH]: moduleVolume() } });
    procs.push(proc);
    const httpPort = portNumber(envoy, envoy.readinessProbe!.tcpSocket!.port);
    await waitFor(async () => {
      if (!proc.isRunning()) throw new Error(`envoy exited: ${fs.readFileSync(proc.logFile, 'utf8').slice(-2000)}`);
      return isListening(httpPort);
    }, { what: 'Envoy\'s readiness probe (its HTTP listener, from xDS)', timeoutMs: 30_000 });
    const reply = await waitFor(async () => {
      const r = await call({ port: httpPort, host: 'demo.default.apigw.localhost', path: '/hello' });
      return r.status === 200 ? r : undefined;
    }, { what: 'GET /hello through Envoy' });
    expect(JSON.parse(reply.body)).toEqual({ message: 'hello from turnpike' });
    const info = await (await fetch(`http://127.0.0.1:${ports.admin}/server_info`)).json() as { node: { id: string; cluster: string } };
    expect(info.node).toMatchObject({ id: podName, cluster: 'turnpike' });
    const handshakes = await (await fetch(`http://127.0.0.1:${ports.admin}/stats?filter=^cluster.turnpike-xds.ssl.handshake$`)).text();
    expect(handshakes).toMatch(/ssl\.handshake: [1-9]/);
    await waitFor(async () => (await kubectl(plane.kubeconfigPath, ['get', 'apis.turnpike.dev', 'hello', '-n', 'default', '-o', 'jsonpath={.status.conditions[?(@.type=="Programmed")].status}'])).stdout === 'True',
      { what: 'the NOTES Api to be Programmed (Envoy ACKed it)' });
  });

  it('lets Prometheus scrape the operator and Envoy where their pods\' annotations say', async () => {
    const scrapeTarget = (workload: K8sObject, name: string): { url: string } => {
      const annotations = (workload.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations;
      expect(annotations['prometheus.io/scrape']).toBe('true');
      const port = Number(annotations['prometheus.io/port']);
      expect(container(workload, name).ports?.map((p) => p.containerPort)).toContain(port);
      return { url: `http://127.0.0.1:${port}${annotations['prometheus.io/path'] ?? ''}` };
    };
    const operator = scrapeTarget(await getJson<K8sObject>(['get', 'deployment', '-n', NS, `${RELEASE}-turnpike-operator`]), 'operator');
    const samples = await waitFor(async () => {
      const s = await scrape(operator.url);
      return total(s, 'turnpike_status_write_duration_seconds_count', { result: 'written' }) > 0 ? s : undefined;
    }, { what: 'status writes in the operator\'s metrics' });
    expect(total(samples, 'turnpike_leader')).toBe(1);
    expect(total(samples, 'turnpike_xds_clients_connected', { fleet: 'turnpike' })).toBe(1);
    expect(total(samples, 'turnpike_objects', { kind: 'Api', condition: 'Programmed', status: 'True', reason: 'Programmed' })).toBeGreaterThan(0);
    const envoy = scrapeTarget(await envoyDeployment(), 'envoy');
    expect(total(await scrape(envoy.url), 'envoy_server_live')).toBe(1);
    // Only the stats: the rest of the admin interface (config_dump holds App secrets) is not there.
    expect((await fetch(envoy.url.replace('/stats/prometheus', '/config_dump'))).status).toBe(404);
  });

  it('authenticates the examples\' APP Api in Envoy with the module from the pod\'s volume', async () => {
    // The filter loaded and configured answers an unsigned call 401 APIG.0303; a module Envoy could
    // not load would answer 500 APIG.0601.
    const reply = await waitFor(async () => {
      const r = await call({ port: ports.http, host: 'demo.team-a.apigw.localhost', path: '/orders', method: 'POST', body: '{}' });
      return r.status === 404 ? undefined : r;
    }, { what: 'POST /orders (an APP Api) through Envoy' });
    expect([reply.status, (JSON.parse(reply.body) as { error_code?: string }).error_code]).toEqual([401, 'APIG.0303']);
  });
});
