// charts/turnpike against the real API server: helm lint, generated files in sync, and every
// rendered object — default values, non-default values, the kind values — accepted by a
// server-side dry-run in a namespace that enforces the "restricted" Pod Security Standard.
import { kubectl, kubectlOk, startTestCluster, type TestCluster } from '../../src/harness';
import { chartDrift, chartDir } from '../../src/harness/chart';
import { helm, parseManifests, renderChart, valueArgs, type ChartValues } from '../../src/harness/helm';
import { certManagerValues, customValues, kindUpValues, minimalValues } from './support';

jest.setTimeout(120_000);

const cases: readonly (readonly [string, ChartValues])[] = [
  ['default values', {}],
  ['non-default values', { files: [customValues] }],
  ['the control plane alone', { files: [minimalValues] }],
  ['the values of make kind-up', kindUpValues],
];
// The test API server has no cert-manager CRDs, so these values are linted and wired
// (wiring.spec.ts), not dry-run.
const lintOnly: readonly (readonly [string, ChartValues])[] = [['cert-manager issuing the xDS certificates', { files: [certManagerValues] }]];

describe('helm chart', () => {
  let cluster: TestCluster;

  beforeAll(async () => { cluster = await startTestCluster(); });
  afterAll(async () => { await cluster.stop(); });

  it('carries crds/ and envoyBootstrap() as generated, unedited copies (make chart-sync)', () => {
    expect(chartDrift()).toEqual([]);
  });

  it.each([...cases, ...lintOnly])('passes helm lint --strict with %s', async (_name, values) => {
    const result = await helm(['lint', '--strict', chartDir, ...valueArgs(values)]);
    expect({ code: result.code, out: result.stdout + result.stderr }).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('0 chart(s) failed');
  });

  it.each(cases)('renders objects the API server accepts (server-side dry-run) with %s', async (_name, values) => {
    const ns = await cluster.namespace('helm');
    // Deployments in this namespace draw a warning for any pod template that breaks "restricted".
    await kubectlOk(cluster.kubeconfigPath, [
      'label', 'namespace', ns, 'pod-security.kubernetes.io/enforce=restricted', 'pod-security.kubernetes.io/warn=restricted',
    ]);
    const yaml = await renderChart({ release: 'gw', namespace: ns, values, includeCrds: true });
    const objects = parseManifests(yaml);
    const result = await kubectl(cluster.kubeconfigPath, ['apply', '--server-side', '--dry-run=server', '-n', ns, '-o', 'name', '-f', '-'], yaml);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const applied = result.stdout.trim().split('\n');
    expect(applied).toHaveLength(objects.length);
    expect(objects.filter((o) => o.kind === 'CustomResourceDefinition')).toHaveLength(6);
    expect(objects.some((o) => o.kind === 'Deployment' && o.metadata.name.endsWith('-operator'))).toBe(true);
  });

  it('refuses values that break the schema, naming the offending key', async () => {
    const bad: readonly (readonly [Record<string, unknown>, RegExp])[] = [
      [{ 'controlPlane.replicas': 'two' }, /controlPlane\/replicas/],
      [{ 'envoy.replicaCount': 2 }, /additional properties 'replicaCount'/],
      [{ 'envoy.service.type': 'Ingress' }, /envoy\/service\/type/],
      [{ 'controlPlane.xdsPort': 70000 }, /controlPlane\/xdsPort/],
      [{ 'ratelimit.redis.mode': 'external' }, /ratelimit\/redis\/external\/url/],
      [{ 'image.digest': 'latest' }, /image\/digest/],
      [{ 'gateway.baseDomain': 'Not A Domain' }, /gateway\/baseDomain/],
      [{ 'envoy.xdsApiType': 'REST' }, /envoy\/xdsApiType/],
      [{ 'gateway.defaultApiLimit': '200/week' }, /gateway\/defaultApiLimit/],
      [{ 'gateway.subdomainTlsSecret': 'no-namespace' }, /gateway\/subdomainTlsSecret/],
      [{ 'envoy.authnModulePath': 'libturnpike_authn.so' }, /envoy\/authnModulePath/],
      [{ 'envoy.authnModulePath': '/etc/turnpike/authn/turnpike-authn.wasm' }, /envoy\/authnModulePath/],
      [{ 'envoy.authnModulePath': '/etc/envoy/libturnpike_authn.so' }, /envoy\.authnModulePath: \/etc\/envoy holds Envoy's bootstrap/],
      [{ authz: { enabled: false } }, /additional properties 'authz'/],
      [{ 'xds.tls.certificateValidity': '30d' }, /xds\/tls\/certificateValidity/],
      [{ 'xds.tls.certManager.issuerRef': { name: 'ca', kind: 'Secret' } }, /xds\/tls\/certManager\/issuerRef\/kind/],
    ];
    for (const [set, message] of bad) {
      const result = await helm(['template', 'gw', chartDir, ...Object.entries(set).flatMap(([k, v]) => ['--set-json', `${k}=${JSON.stringify(v)}`])]);
      expect({ set, code: result.code }).toEqual({ set, code: 1 });
      expect(result.stderr).toMatch(message);
    }
  });

  it('tells in NOTES.txt how to call the first Api, for the Service type in use', async () => {
    const notes = async (set: Record<string, unknown>): Promise<string> => {
      const result = await helm(['install', 'gw', chartDir, '--dry-run=client', '--kubeconfig', cluster.kubeconfigPath, '--namespace', 'edge', ...Object.entries(set).flatMap(([k, v]) => ['--set-json', `${k}=${JSON.stringify(v)}`])]);
      expect(result.stderr).toBe('');
      return result.stdout.slice(result.stdout.indexOf('NOTES:'));
    };
    const lb = await notes({});
    expect(lb).toContain('kind: Api');
    expect(lb).toContain("curl -H 'Host: demo.default.apigw.localhost' http://$ADDRESS:80/hello");
    expect(lb).toContain('port-forward service/gw-turnpike-envoy 8080:80');
    const nodePort = await notes({ 'envoy.service.type': 'NodePort', 'gateway.baseDomain': 'apis.example.com' });
    expect(nodePort).toContain("curl -H 'Host: demo.default.apis.example.com' http://<a node's address>:$NODE_PORT/hello");
    const noEnvoy = await notes({ 'envoy.enabled': false });
    expect(noEnvoy).toContain('connect your own Envoys with node.cluster "turnpike"');
    expect(noEnvoy).toContain('gw-turnpike-xds.edge.svc.cluster.local:18000');
    expect(noEnvoy).toContain('authn filter\'s native module\n(in the control-plane image at /app/dataplane/libturnpike_authn.so) at /etc/turnpike/authn/libturnpike_authn.so\n'
      + 'and run with ENVOY_DYNAMIC_MODULES_SEARCH_PATH=/etc/turnpike/authn.');
    expect(noEnvoy).toContain('xDS takes mutual TLS:\neach Envoy needs a client certificate of the release\'s xDS CA naming its fleet (Secret\ngw-turnpike-xds-tls-envoy holds one');
    expect(noEnvoy).not.toContain('curl');
  });
});
