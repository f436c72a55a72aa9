// The status writer against a real API server: conditions with observedGeneration, no write when
// nothing changed, lastTransitionTime kept, leader-only, conflicts retried, deleted objects
// dropped, the informers' set used instead of reads, and the rate limit.
import { informersProvider, type InformersProvider } from '../../../operator/src/provider/informers';
import { StatusWriter, byStatusKey, type StatusCondition, type StatusUpdate } from '../../../operator/src/status';
import { kubectlOk, startTestCluster, waitFor, type TestCluster } from '../../src/harness';
import { adminKube, captureLog } from './support';

jest.setTimeout(120_000);

interface Observed {
  metadata: { resourceVersion: string; generation: number; uid: string };
  status?: { observedGeneration?: number; appKey?: string; subdomain?: string; conditions?: Required<StatusCondition>[] };
}

const accepted = (status: StatusCondition['status'], message = ''): StatusCondition => ({
  type: 'Accepted', status, reason: status === 'True' ? 'Accepted' : 'Invalid', message,
});

describe('status writer', () => {
  let cluster: TestCluster;
  let ns: string;
  const writers: StatusWriter[] = [];
  let provider: InformersProvider | undefined;
  const kubectl = (args: string[], stdin?: string): Promise<string> => kubectlOk(cluster.kubeconfigPath, args, stdin);
  const get = async (kind: string, name: string): Promise<Observed> => JSON.parse(await kubectl(['get', kind, '-n', ns, name, '-o', 'json'])) as Observed;
  const createApps = async (...names: string[]): Promise<void> => {
    await kubectl(['apply', '-n', ns, '-f', '-'], names.map((name) => `apiVersion: turnpike.dev/v1alpha1\nkind: App\nmetadata: {name: ${name}}\n`).join('---\n'));
  };
  const writer = (options: { qps?: number; burst?: number } = {}): StatusWriter => {
    const w = new StatusWriter({ kube: adminKube(cluster), log: captureLog().log, retry: { initialMs: 50, maxMs: 500 }, ...options });
    writers.push(w);
    return w;
  };
  const appUpdate = (name: string, generation: number, conditions: StatusCondition[], extra: Record<string, unknown> = {}): StatusUpdate => ({
    ref: { kind: 'App', namespace: ns, name, generation },
    status: { observedGeneration: generation, conditions, ...extra },
  });

  beforeAll(async () => {
    cluster = await startTestCluster();
    ns = await cluster.namespace('status');
  });

  afterAll(async () => {
    await Promise.all(writers.map((w) => w.stop()));
    await provider?.stop();
    await cluster.stop();
  });

  it('patches conditions with observedGeneration, and writes nothing when nothing changed', async () => {
    await createApps('alpha');
    const w = writer();
    w.setLeader(true);
    w.update(byStatusKey([appUpdate('alpha', 1, [accepted('True'), { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: '' }], { appKey: 'alpha-key-0001' })]));
    await w.idle();
    const written = await get('app', 'alpha');
    expect(written.status).toMatchObject({ observedGeneration: 1, appKey: 'alpha-key-0001' });
    expect(written.status?.conditions?.map((c) => [c.type, c.status, c.observedGeneration])).toEqual([['Accepted', 'True', 1], ['ResolvedRefs', 'True', 1]]);
    expect(written.status?.conditions?.[0]?.lastTransitionTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(w.stats()).toMatchObject({ gets: 1, patches: 1 });

    // The same desired state again (a fresh copy): examined, not written.
    w.update(byStatusKey([appUpdate('alpha', 1, [accepted('True'), { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', message: '' }], { appKey: 'alpha-key-0001' })]));
    await w.idle();
    expect(w.stats()).toMatchObject({ gets: 1, patches: 1 });
    expect((await get('app', 'alpha')).metadata.resourceVersion).toBe(written.metadata.resourceVersion);
  });

  it('keeps lastTransitionTime unless the status flips, and deletes fields no longer desired', async () => {
    await createApps('beta');
    const w = writer();
    w.setLeader(true);
    const long = '2020-01-01T00:00:00Z';
    w.update(byStatusKey([appUpdate('beta', 1, [{ ...accepted('True'), lastTransitionTime: long }], { appKey: 'beta-key-00001' })]));
    await w.idle();
    w.update(byStatusKey([appUpdate('beta', 1, [accepted('True', 'reworded')])]));
    await w.idle();
    const reworded = await get('app', 'beta');
    expect(reworded.status?.conditions?.[0]).toMatchObject({ message: 'reworded', lastTransitionTime: long });
    expect(reworded.status?.appKey).toBeUndefined();
    w.update(byStatusKey([appUpdate('beta', 1, [accepted('False', 'now invalid')])]));
    await w.idle();
    const flipped = (await get('app', 'beta')).status?.conditions?.[0];
    expect(flipped).toMatchObject({ status: 'False', reason: 'Invalid' });
    expect(flipped?.lastTransitionTime).not.toBe(long);
    expect(w.stats().patches).toBe(3);
  });

  it('writes only while leading', async () => {
    await createApps('gamma');
    const w = writer();
    w.update(byStatusKey([appUpdate('gamma', 1, [accepted('True')])]));
    await w.idle();
    expect(w.stats()).toMatchObject({ gets: 0, patches: 0 });
    expect((await get('app', 'gamma')).status).toBeUndefined();
    w.setLeader(true);
    await w.idle();
    expect((await get('app', 'gamma')).status?.conditions?.[0]?.type).toBe('Accepted');
    w.setLeader(false);
    w.update(byStatusKey([appUpdate('gamma', 1, [accepted('False')])]));
    await w.idle();
    expect((await get('app', 'gamma')).status?.conditions?.[0]?.status).toBe('True');
  });

  it('re-reads and retries on a conflict', async () => {
    await createApps('delta');
    const w = writer();
    w.setLeader(true);
    w.update(byStatusKey([appUpdate('delta', 1, [accepted('True')])]));
    await w.idle();
    // Someone else changes the object: the writer's resourceVersion is stale now.
    await kubectl(['label', '-n', ns, 'app', 'delta', 'touched=yes']);
    w.update(byStatusKey([appUpdate('delta', 1, [accepted('True', 'after the label')])]));
    await w.idle();
    expect(w.stats().conflicts).toBeGreaterThanOrEqual(1);
    expect((await get('app', 'delta')).status?.conditions?.[0]?.message).toBe('after the label');
  });

  it('drops writes for objects that do not exist, and does not retry refused ones', async () => {
    const w = writer();
    w.setLeader(true);
    await createApps('epsilon');
    w.update(byStatusKey([
      appUpdate('never-created', 1, [accepted('True')]),
      appUpdate('epsilon', 1, [{ type: 'Accepted', status: 'True', reason: 'not a valid reason!', message: '' }]),
    ]));
    await w.idle();
    expect(w.stats()).toMatchObject({ gone: 1, patches: 0, failures: 1 });
    // Still desired, unchanged: nothing is retried.
    w.update(byStatusKey([
      appUpdate('never-created', 1, [accepted('True')]),
      appUpdate('epsilon', 1, [{ type: 'Accepted', status: 'True', reason: 'not a valid reason!', message: '' }]),
    ]));
    await w.idle();
    expect(w.stats()).toMatchObject({ gets: 2, gone: 1, failures: 1 });
  });

  it("uses the informers' set instead of reads, and spaces requests to the rate limit", async () => {
    const names = Array.from({ length: 25 }, (_, i) => `many-${i}`);
    await createApps(...names);
    provider = informersProvider({ kube: adminKube(cluster), log: captureLog().log, namespaces: [ns] });
    const w = writer({ qps: 10, burst: 5 });
    await provider.start((set) => { w.observe(set); });
    w.setLeader(true);
    const startedAt = Date.now();
    w.update(byStatusKey(names.map((name) => appUpdate(name, 1, [accepted('True')]))));
    await w.idle();
    const elapsed = Date.now() - startedAt;
    expect(w.stats()).toMatchObject({ gets: 0, patches: 25 });
    // 25 patches, 5 of them from the burst, the rest at 10/s.
    expect(elapsed).toBeGreaterThanOrEqual(((25 - 5) / 10) * 1000 - 100);
    // Once the informers have seen the writes, an identical update costs no request at all.
    await waitFor(() => names.every((name) => (provider?.current()?.App.get(`${ns}/${name}`)?.status as Observed['status'])?.conditions !== undefined), {
      what: 'the informers to see every write',
    });
    // A new term as leader examines every desired key again: against the set, without a request.
    w.setLeader(false);
    w.setLeader(true);
    await w.idle();
    // No request; a late informer event may make the writer look at a key twice (unchanged ≥ 25).
    expect(w.stats()).toMatchObject({ gets: 0, patches: 25, conflicts: 0 });
    expect(w.stats().unchanged).toBeGreaterThanOrEqual(25);
  });
});
