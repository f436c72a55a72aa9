// Fast throttling with two `turnpike operator` replicas, each serving one of two Envoys: each
// replica counts the Envoys connected to it and publishes the count in the shared census Lease
// (operator/src/leader/census.ts), so both Envoys hold ceil(limit / 2), not the whole limit; when
// one Envoy goes, the other gets the whole limit back within a second.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, kubectl, kubectlOk, startGatewayEnvoy, startTestCluster, waitFor, type Envoy, type TestCluster } from '../../src';
import { fastShares } from '../policies/fixture';
import { startReplica, type Replica } from './replicas';

jest.setTimeout(120_000);

describe('Fast limits across operator replicas', () => {
  let cluster: TestCluster;
  let dir: string;
  let appsNs: string;
  let systemNs: string;
  const replicas: Replica[] = [];
  const envoys: Envoy[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-census-'));
    cluster = await startTestCluster();
    systemNs = await cluster.namespace('turnpike-system');
    appsNs = await cluster.namespace('team-census');
    const common = { kubeconfig: cluster.kubeconfigPath, leaseNamespace: systemNs, dir, httpPort: await freePort(), httpsPort: await freePort() };
    for (const identity of ['replica-a', 'replica-b']) replicas.push(await startReplica({ ...common, identity }));
  });

  afterAll(async () => {
    for (const envoy of envoys) await envoy.stop();
    for (const replica of replicas) await replica.proc.stop();
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('splits a Fast limit among the Envoys of every replica, and gives it back when one goes', async () => {
    await kubectlOk(cluster.kubeconfigPath, ['apply', '-n', appsNs, '-f', '-'], `apiVersion: turnpike.dev/v1alpha1
kind: ApiGroup
metadata: {name: shop}
spec: {}
---
apiVersion: turnpike.dev/v1alpha1
kind: Api
metadata: {name: counted}
spec: {groupRef: {name: shop}, method: GET, path: /counted, backend: {mock: {body: ok}}}
---
apiVersion: turnpike.dev/v1alpha1
kind: ThrottlePolicy
metadata: {name: counted}
spec: {targetRefs: [{kind: Api, name: counted}], window: {unit: SECOND}, limits: {api: 9}}
`);
    const [a, b] = replicas as [Replica, Replica];
    envoys.push(await startGatewayEnvoy({ dir, xdsPort: a.xdsPort, name: 'envoy-a' }));
    const key = `${appsNs}/counted RELEASE/counted`;
    const share = async (envoy: Envoy): Promise<number | undefined> => (await fastShares(envoy.admin)).get(key);
    await waitFor(async () => (await share(envoys[0]!)) === 9, { what: 'envoy-a holding the whole limit', timeoutMs: 30_000 });

    envoys.push(await startGatewayEnvoy({ dir, xdsPort: b.xdsPort, name: 'envoy-b' }));
    const [envoyA, envoyB] = envoys as [Envoy, Envoy];
    await waitFor(async () => (await share(envoyA)) === 5 && (await share(envoyB)) === 5, { what: 'both Envoys at ceil(9 / 2)', timeoutMs: 5_000, intervalMs: 20 });
    // Each replica published its own count in the shared Lease.
    const annotations = (await kubectl(cluster.kubeconfigPath, ['get', 'lease', '-n', systemNs, 'turnpike-operator-envoys', '-o', 'jsonpath={.metadata.annotations}'])).stdout;
    expect(Object.keys(JSON.parse(annotations) as Record<string, string>).sort()).toEqual(['envoys.turnpike.dev/replica-a', 'envoys.turnpike.dev/replica-b']);

    await envoyB.stop();
    envoys.pop();
    await waitFor(async () => (await share(envoyA)) === 9, { what: 'envoy-a holding the whole limit again', timeoutMs: 1_000, intervalMs: 20 });
  });
});
