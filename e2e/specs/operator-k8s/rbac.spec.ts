// operator/rbac/ is enough, and no more than enough: the informers, the leader elector and the
// status writer run with the turnpike-operator ServiceAccount's token without a forbidden error,
// and requests outside the role are refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LeaderElector } from '../../../operator/src/leader';
import { informersProvider, type InformersProvider } from '../../../operator/src/provider/informers';
import { StatusWriter, byStatusKey } from '../../../operator/src/status';
import { kubectl, kubectlOk, repoRoot, startTestCluster, waitFor, type TestCluster } from '../../src/harness';
import { captureLog, tokenKube } from './support';

jest.setTimeout(120_000);

describe('operator RBAC', () => {
  let cluster: TestCluster;
  let ns: string;
  let appsNs: string;
  let overlay: string;
  let provider: InformersProvider | undefined;
  let elector: LeaderElector | undefined;
  let writer: StatusWriter | undefined;
  const admin = (args: string[], stdin?: string): Promise<string> => kubectlOk(cluster.kubeconfigPath, args, stdin);

  beforeAll(async () => {
    cluster = await startTestCluster();
    ns = await cluster.namespace('turnpike-system');
    appsNs = await cluster.namespace('team-a');
    // Install operator/rbac/ as a user would, through its kustomization, into the test namespace.
    overlay = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-rbac-'));
    const base = path.relative(overlay, path.join(repoRoot, 'operator', 'rbac'));
    fs.writeFileSync(path.join(overlay, 'kustomization.yaml'), `namespace: ${ns}\nresources:\n  - ${base}\n`);
    await admin(['apply', '-k', overlay]);
    await admin(['apply', '-n', appsNs, '-f', path.join(repoRoot, 'examples')]);
  });

  afterAll(async () => {
    await writer?.stop();
    await elector?.stop();
    await provider?.stop();
    await cluster.stop();
    fs.rmSync(overlay, { recursive: true, force: true });
  });

  it('runs the informers, the leader elector and the status writer without a forbidden error', async () => {
    const token = (await admin(['create', 'token', 'turnpike-operator', '-n', ns])).trim();
    const kube = tokenKube(cluster, token);
    const captured = captureLog();

    writer = new StatusWriter({ kube, log: captured.log });
    const statusWriter = writer;
    provider = informersProvider({ kube, log: captured.log, backoff: { initialMs: 100, maxMs: 500 } });
    // Fails with a clear timeout if any informer is forbidden: the gate never opens.
    await provider.start((set) => { statusWriter.observe(set); });
    expect(provider.current()?.App.has(`${appsNs}/demo-client`)).toBe(true);
    expect(provider.current()?.Secret.has(`${appsNs}/demo-client-credentials`)).toBe(true);

    elector = new LeaderElector({
      kube, namespace: ns, name: 'turnpike-operator', identity: 'rbac-test', log: captured.log,
      timings: { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 400 },
      onStartedLeading: () => { statusWriter.setLeader(true); },
      onStoppedLeading: () => { statusWriter.setLeader(false); },
    });
    elector.start();
    await waitFor(() => elector?.isLeader(), { what: 'the ServiceAccount to win the lease' });

    writer.update(byStatusKey([{
      ref: { kind: 'App', namespace: appsNs, name: 'demo-client', generation: 1 },
      status: { observedGeneration: 1, appKey: 'demo-app-key-NOT-FOR-PRODUCTION', conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '' }] },
    }]));
    await writer.idle();
    const app = JSON.parse(await admin(['get', 'app', '-n', appsNs, 'demo-client', '-o', 'json'])) as { status?: { appKey?: string } };
    expect(app.status?.appKey).toBe('demo-app-key-NOT-FOR-PRODUCTION');
    expect(writer.stats()).toMatchObject({ patches: 1, failures: 0 });

    // A graceful stop releases the lease (an update) — also within the Role.
    await elector.stop();
    elector = undefined;
    const lease = JSON.parse(await admin(['get', 'lease', '-n', ns, 'turnpike-operator', '-o', 'json'])) as { spec: { holderIdentity?: string } };
    expect(lease.spec.holderIdentity ?? '').toBe('');
    expect(captured.problems()).toEqual([]);
    expect(JSON.stringify(captured.records)).not.toMatch(/forbidden|"status":403/i);
  });

  it('grants nothing beyond what the operator needs', async () => {
    const as = ['--as', `system:serviceaccount:${ns}:turnpike-operator`];
    const can = async (args: string[]): Promise<boolean> => (await kubectl(cluster.kubeconfigPath, ['auth', 'can-i', ...as, ...args])).code === 0;
    const allowed = [
      ['watch', 'apis.turnpike.dev', '-A'],
      ['patch', 'apps.turnpike.dev', '--subresource=status', '-n', appsNs],
      ['list', 'endpointslices.discovery.k8s.io', '-A'],
      ['watch', 'secrets', '-A'],
      ['create', 'secrets', '-n', appsNs],
      ['update', 'leases.coordination.k8s.io', '-n', ns],
      // The xDS CA (--xds-tls-secrets turnpike-xds-tls) and ratelimit's restart (--ratelimit-deployment).
      ['update', 'secrets/turnpike-xds-tls-ca', '-n', ns],
      ['patch', 'deployments.apps/turnpike-ratelimit', '-n', ns],
    ];
    const refused = [
      ['delete', 'apis.turnpike.dev', '-n', appsNs],
      ['patch', 'apps.turnpike.dev', '-n', appsNs],
      ['create', 'apigroups.turnpike.dev', '-n', appsNs],
      ['delete', 'secrets', '-n', appsNs],
      ['patch', 'services', '-n', appsNs],
      ['get', 'configmaps', '-n', appsNs],
      ['list', 'pods', '-A'],
      ['update', 'leases.coordination.k8s.io', '-n', appsNs],
      ['list', 'leases.coordination.k8s.io', '-n', ns],
      ['delete', 'leases.coordination.k8s.io', '-n', ns],
      ['patch', 'deployments.apps/turnpike-envoy', '-n', ns],
      ['delete', 'deployments.apps/turnpike-ratelimit', '-n', ns],
      ['list', 'deployments.apps', '-n', ns],
    ];
    for (const args of allowed) expect({ args, allowed: await can(args) }).toEqual({ args, allowed: true });
    for (const args of refused) expect({ args, allowed: await can(args) }).toEqual({ args, allowed: false });
  });
});
