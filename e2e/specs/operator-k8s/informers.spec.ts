// The informers provider against a real API server: the synced gate, complete immutable sets
// after every change, coalesced bursts, namespace scoping and the Secret filter.
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { informersProvider, type InformersProvider } from '../../../operator/src/provider/informers';
import type { ResourceSet } from '../../../operator/src/resources/resourceset';
import { kubectlOk, repoRoot, startTestCluster, waitFor, type TestCluster } from '../../src/harness';
import { adminKube, captureLog } from './support';

jest.setTimeout(120_000);

const examplesDir = path.join(repoRoot, 'examples');

/** kind → names of the objects examples/ defines (read from the files, so edits there are fine). */
function exampleNames(): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const file of fs.readdirSync(examplesDir).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(fs.readFileSync(path.join(examplesDir, file), 'utf8'))) {
      const object = doc.toJS() as { kind?: string; metadata?: { name?: string } } | null;
      if (object?.kind === undefined || object.metadata?.name === undefined) continue;
      names.set(object.kind, [...(names.get(object.kind) ?? []), object.metadata.name].sort());
    }
  }
  return names;
}

const service = (name: string, labels = ''): string => `apiVersion: v1
kind: Service
metadata: {name: ${name}${labels === '' ? '' : `, labels: {${labels}}`}}
spec: {ports: [{port: 80}]}
`;

describe('informers provider', () => {
  let cluster: TestCluster;
  let ns: string;
  let other: string;
  const started: InformersProvider[] = [];
  const kubectl = (args: string[], stdin?: string): Promise<string> => kubectlOk(cluster.kubeconfigPath, args, stdin);

  beforeAll(async () => {
    cluster = await startTestCluster();
    ns = await cluster.namespace('informers');
    other = await cluster.namespace('informers-other');
    await kubectl(['apply', '-n', ns, '-f', examplesDir]);
    await kubectl(['apply', '-n', ns, '-f', '-'], `apiVersion: v1
kind: Secret
metadata: {name: robot-token, annotations: {kubernetes.io/service-account.name: default}}
type: kubernetes.io/service-account-token
---
apiVersion: v1
kind: Secret
metadata: {name: site-tls}
type: kubernetes.io/tls
data: {tls.crt: "", tls.key: ""}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: backend-abc, labels: {kubernetes.io/service-name: backend}}
addressType: IPv4
ports: [{port: 8080, protocol: TCP}]
endpoints: [{addresses: [10.0.0.7], conditions: {ready: true}}]
---
${service('backend')}`);
    await kubectl(['apply', '-n', other, '-f', '-'], service('elsewhere'));
  });

  afterAll(async () => {
    await Promise.all(started.map((provider) => provider.stop()));
    await cluster.stop();
  });

  const start = async (options: { namespaces?: string[]; debounceMs?: number } = {}): Promise<{ provider: InformersProvider; sets: ResourceSet[] }> => {
    const sets: ResourceSet[] = [];
    const provider = informersProvider({ kube: adminKube(cluster), log: captureLog().log, ...options });
    started.push(provider);
    await provider.start((set) => sets.push(set));
    return { provider, sets };
  };
  const names = (set: ResourceSet | undefined, kind: keyof ResourceSet, namespace: string): string[] =>
    [...(set?.[kind].keys() ?? [])].filter((key) => key.startsWith(`${namespace}/`)).map((key) => key.slice(namespace.length + 1)).sort();

  it('delivers one complete set, with every kind, before start() resolves', async () => {
    const { provider, sets } = await start();
    expect(provider.isSynced()).toBe(true);
    expect(sets).toHaveLength(1);
    const first = sets[0];
    for (const [kind, expected] of exampleNames()) {
      const found = names(first, kind as keyof ResourceSet, ns);
      expect({ kind, found: expected.filter((name) => found.includes(name)) }).toEqual({ kind, found: expected });
    }
    expect(names(first, 'Service', ns)).toEqual(['backend']);
    expect(names(first, 'Service', other)).toEqual(['elsewhere']);
    const slice = first?.EndpointSlice.get(`${ns}/backend-abc`);
    expect(slice).toMatchObject({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4' });
    expect(first?.Secret.get(`${ns}/site-tls`)).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls' });
    // Service-account tokens are filtered out by the API server, never cached.
    expect(first?.Secret.has(`${ns}/robot-token`)).toBe(false);
    expect(Object.isFrozen(first?.Api.values().next().value)).toBe(true);
  });

  it('delivers a new complete set after updates and deletes; older sets stay as they were', async () => {
    const { provider, sets } = await start();
    const before = provider.current();
    await kubectl(['label', '-n', ns, 'api', 'hello', 'tier=gold']);
    const labelled = await waitFor(() => {
      const set = provider.current();
      return set?.Api.get(`${ns}/hello`)?.metadata.labels?.tier === 'gold' ? set : undefined;
    }, { what: 'the label to reach the set' });
    expect(labelled.Service.get(`${ns}/backend`)).toBeDefined();
    expect(before?.Api.get(`${ns}/hello`)?.metadata.labels?.tier).toBeUndefined();

    await kubectl(['delete', '-n', ns, 'service', 'backend']);
    await kubectl(['delete', '-n', ns, 'endpointslice', 'backend-abc']);
    await waitFor(() => provider.current()?.Service.has(`${ns}/backend`) === false && provider.current()?.EndpointSlice.has(`${ns}/backend-abc`) === false, {
      what: 'the deletes to reach the set',
    });
    expect(labelled.Service.has(`${ns}/backend`)).toBe(true);
    expect(provider.current()?.Api.get(`${ns}/hello`)?.metadata.labels?.tier).toBe('gold');
    expect(sets.length).toBeGreaterThanOrEqual(3);
  });

  it('coalesces a burst and never loses its last change', async () => {
    const { provider, sets } = await start({ debounceMs: 250 });
    const count = 30;
    const burst = Array.from({ length: count }, (_, i) => service(`burst-${i}`, 'burst: "yes"')).join('---\n');
    const callsBefore = sets.length;
    await kubectl(['apply', '-n', ns, '-f', '-'], burst);
    await kubectl(['label', '-n', ns, 'service', `burst-${count - 1}`, 'last=true']);
    await waitFor(() => provider.current()?.Service.get(`${ns}/burst-${count - 1}`)?.metadata.labels?.last === 'true', { what: 'the last change of the burst' });
    expect(names(provider.current(), 'Service', ns).filter((n) => n.startsWith('burst-'))).toHaveLength(count);
    // 31 changes; a set per change would be 31 calls.
    expect(sets.length - callsBefore).toBeLessThan(count / 2);
  });

  it('watches only the configured namespaces when given some', async () => {
    const { sets } = await start({ namespaces: [other] });
    expect(names(sets[0], 'Service', other)).toEqual(['elsewhere']);
    expect(sets[0]?.Service.size).toBe(1);
    expect(sets[0]?.Api.size).toBe(0);
  });

  it('rejects a pending start() when stopped first', async () => {
    const provider = informersProvider({ kube: adminKube(cluster), log: captureLog().log });
    const pending = provider.start(() => undefined);
    await provider.stop();
    await expect(pending).rejects.toThrow(/stopped before/);
  });
});
