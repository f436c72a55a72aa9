// Outages: the API server is stopped and started again (same etcd, same port). The provider keeps
// serving its last set, reconnects with backoff and catches up with what changed; a leader that
// cannot renew steps down within renewDeadline.
import { LeaderElector } from '../../../operator/src/leader';
import { informersProvider, type InformersProvider } from '../../../operator/src/provider/informers';
import type { ResourceSet } from '../../../operator/src/resources/resourceset';
import { kubectlOk, startTestCluster, waitFor, type Proc, type TestCluster } from '../../src/harness';
import { adminKube, captureLog, stopApiServer } from './support';

jest.setTimeout(180_000);

const app = (name: string): string => `apiVersion: turnpike.dev/v1alpha1
kind: App
metadata: {name: ${name}}
`;

describe('API server restart', () => {
  let cluster: TestCluster;
  let ns: string;
  let restarted: Proc | undefined;
  let provider: InformersProvider | undefined;
  let elector: LeaderElector | undefined;
  const kubectl = (args: string[], stdin?: string): Promise<string> => kubectlOk(cluster.kubeconfigPath, args, stdin);

  beforeAll(async () => {
    cluster = await startTestCluster();
    ns = await cluster.namespace('reconnect');
    await kubectl(['apply', '-n', ns, '-f', '-'], `${app('before-outage')}---\n${app('deleted-after-outage')}`);
  });

  afterAll(async () => {
    await provider?.stop();
    await elector?.stop({ release: false });
    await restarted?.stop();
    await cluster.stop();
  });

  it('keeps serving the last set while the API server is down, then reconnects and catches up', async () => {
    const captured = captureLog();
    const sets: ResourceSet[] = [];
    const restarts: string[] = [];
    provider = informersProvider({
      kube: adminKube(cluster), log: captured.log, backoff: { initialMs: 100, maxMs: 1_000 },
      onRestart: (kind) => { restarts.push(kind); },
    });
    await provider.start((set) => sets.push(set));
    const leaderLog = captureLog();
    let stoppedLeadingAt: number | undefined;
    elector = new LeaderElector({
      kube: adminKube(cluster), namespace: ns, name: 'outage', identity: 'solo', log: leaderLog.log,
      timings: { leaseDurationMs: 4_000, renewDeadlineMs: 3_000, retryPeriodMs: 500 },
      onStoppedLeading: () => { stoppedLeadingAt = Date.now(); },
    });
    elector.start();
    await waitFor(() => elector?.isLeader(), { what: 'the elector to lead' });
    const setsBefore = sets.length;
    const lastBefore = provider.current();
    expect(lastBefore?.App.has(`${ns}/before-outage`)).toBe(true);

    const downAt = Date.now();
    const restart = await stopApiServer(cluster);
    const failed = (kind: string): Record<string, unknown>[] =>
      captured.records.filter((r) => r.msg === 'list/watch failed; serving the cached objects and retrying' && r.kind === kind);
    // Several failed reconnects, each after a longer (capped, jittered) pause.
    await waitFor(() => failed('App').length >= 4, { what: 'the App informer to retry while the API server is down', timeoutMs: 20_000 });
    const delays = failed('App').map((r) => r.retryInMs as number);
    // turnpike_informer_restarts_total counts each retry of each kind.
    expect(restarts.filter((k) => k === 'App').length).toBe(failed('App').length);
    expect(delays.every((ms) => ms <= 1_000)).toBe(true);
    expect(Math.max(...delays.slice(2))).toBeGreaterThan(Math.max(...delays.slice(0, 1)));
    // Meanwhile the last set keeps being served, and no partial set is delivered.
    expect(provider.current()).toBe(lastBefore);
    expect(sets).toHaveLength(setsBefore);
    // The leader cannot renew: it steps down within renewDeadline of its last renewal.
    await waitFor(() => stoppedLeadingAt, { what: 'the leader to step down', timeoutMs: 10_000 });
    expect((stoppedLeadingAt ?? 0) - downAt).toBeLessThanOrEqual(3_000 + 250);

    restarted = await restart();
    await kubectl(['apply', '-n', ns, '-f', '-'], app('after-outage'));
    await kubectl(['delete', '-n', ns, 'app', 'deleted-after-outage']);
    await waitFor(() => {
      const apps = provider?.current()?.App;
      return apps?.has(`${ns}/after-outage`) === true && !apps.has(`${ns}/deleted-after-outage`);
    }, { what: 'the set to catch up after the restart', timeoutMs: 30_000 });
    expect(provider.current()?.App.has(`${ns}/before-outage`)).toBe(true);
    expect(captured.has('watch reconnected')).toBe(true);
    // The elector is a candidate again and wins the lease back once the server is up.
    await waitFor(() => elector?.isLeader(), { what: 'the elector to lead again', timeoutMs: 30_000 });
  });
});
