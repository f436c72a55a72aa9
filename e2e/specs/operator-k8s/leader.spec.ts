// Leader election on a real Lease: one leader among candidates, fast failover on a graceful stop
// (the lease is released), and failover within the lease duration when the leader dies.
import { LeaderElector } from '../../../operator/src/leader';
import { kubectlOk, startTestCluster, waitFor, type TestCluster } from '../../src/harness';
import { adminKube, captureLog, holdsFor } from './support';

jest.setTimeout(120_000);

// Short timings keep the test quick; the ratios are client-go's defaults (15 s / 10 s / 2 s).
const timings = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 400 };

interface Candidate {
  readonly id: string;
  readonly elector: LeaderElector;
  readonly events: string[];
}

describe('leader election', () => {
  let cluster: TestCluster;
  let ns: string;
  const candidates: Candidate[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster();
    ns = await cluster.namespace('leader');
  });

  afterAll(async () => {
    await Promise.all(candidates.map((c) => c.elector.stop()));
    await cluster.stop();
  });

  const candidate = (id: string): Candidate => {
    const events: string[] = [];
    const elector = new LeaderElector({
      kube: adminKube(cluster), namespace: ns, name: 'turnpike-operator', identity: id, log: captureLog().log, timings,
      onStartedLeading: () => events.push('started'),
      onStoppedLeading: () => events.push('stopped'),
    });
    const c = { id, elector, events };
    candidates.push(c);
    elector.start();
    return c;
  };
  const leaders = (): string[] => candidates.filter((c) => c.elector.isLeader()).map((c) => c.id);
  const lease = async (): Promise<{ holderIdentity?: string; leaseTransitions?: number; leaseDurationSeconds?: number }> =>
    (JSON.parse(await kubectlOk(cluster.kubeconfigPath, ['get', 'lease', '-n', ns, 'turnpike-operator', '-o', 'json'])) as { spec: Record<string, never> }).spec;

  it('elects exactly one of two candidates, and the Lease names it', async () => {
    const a = candidate('replica-a');
    const b = candidate('replica-b');
    const [leader] = await waitFor(() => (leaders().length > 0 ? leaders() : undefined), { what: 'a leader' });
    // Over several renewals, never two leaders and no flapping.
    await holdsFor(timings.leaseDurationMs, () => leaders().length === 1 && leaders()[0] === leader, 'exactly one, stable leader');
    expect(await lease()).toMatchObject({ holderIdentity: leader, leaseDurationSeconds: 3 });
    const follower = leader === a.id ? b : a;
    expect(follower.events).toEqual([]);
    expect(follower.elector.leader()).toBe(leader);
  });

  it('fails over at the next retry when the leader stops gracefully (lease released)', async () => {
    const leader = candidates.find((c) => c.elector.isLeader())!;
    const follower = candidates.find((c) => c !== leader && !c.elector.isLeader())!;
    const transitions = (await lease()).leaseTransitions ?? 0;
    const stoppedAt = Date.now();
    await leader.elector.stop();
    expect(leader.events).toEqual(['started', 'stopped']);
    await waitFor(() => follower.elector.isLeader(), { what: 'the follower to take over' });
    const elapsed = Date.now() - stoppedAt;
    // A candidate retries every retryPeriod × [1, 2.2); far less than waiting out the lease.
    expect(elapsed).toBeLessThan(timings.retryPeriodMs * 2.2 + 500);
    expect(elapsed).toBeLessThan(timings.leaseDurationMs);
    expect(await lease()).toMatchObject({ holderIdentity: follower.id, leaseTransitions: transitions + 1 });
    candidates.splice(candidates.indexOf(leader), 1);
  });

  it('fails over within the lease duration when the leader dies without releasing', async () => {
    const leader = candidates.find((c) => c.elector.isLeader())!;
    const standby = candidate('replica-c');
    await holdsFor(timings.retryPeriodMs * 3, () => !standby.elector.isLeader(), 'the standby to wait while the lease is renewed');
    const diedAt = Date.now();
    // A crash: no release, no more renewals.
    await leader.elector.stop({ release: false });
    candidates.splice(candidates.indexOf(leader), 1);
    expect((await lease()).holderIdentity).toBe(leader.id);
    await waitFor(() => standby.elector.isLeader(), { what: 'the standby to take over', timeoutMs: 20_000 });
    const elapsed = Date.now() - diedAt;
    // Not before the lease could have expired (the last renewal was at most one retry before the
    // crash). At most the lease duration plus two jittered candidate retries: one until the standby
    // sees the last renewal (expiry counts from then, on its own clock, as in client-go), one after
    // expiry until it tries again.
    expect(elapsed).toBeGreaterThanOrEqual(timings.leaseDurationMs - timings.retryPeriodMs * 2);
    expect(elapsed).toBeLessThanOrEqual(timings.leaseDurationMs + 2 * timings.retryPeriodMs * 2.2 + 300);
    expect((await lease()).holderIdentity).toBe(standby.id);
  });
});
