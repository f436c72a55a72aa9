// The operator's pass discipline against a real API server and Envoy: an edit is served and its
// status written, while status writes (the operator's own, or anyone's) cost no translation.
import fs from 'node:fs';
import { kubectlOk, waitFor } from '../../src';
import { groupYaml, hostOf, startGateway, type Gateway } from './fixture';

const api = (body: string): string => `---
apiVersion: turnpike.dev/v1alpha1
kind: Api
metadata: {name: echo}
spec:
  groupRef: {name: shop}
  method: GET
  path: /echo
  backend: {mock: {body: ${body}}}
`;

/** Counts of the operator's debug lines: translation passes, and sets skipped as unchanged. */
function passes(gw: Gateway): { translated: number; skipped: number } {
  const lines = fs.readFileSync(gw.operator.proc.logFile, 'utf8').split('\n');
  const count = (msg: string): number => lines.filter((line) => line.includes(`"msg":"${msg}"`)).length;
  return { translated: count('translated'), skipped: count('no change for translation; pass skipped') };
}

interface Observed { metadata: { generation: number }; status?: { conditions?: { type: string; status: string; observedGeneration: number }[] } }

describe('incremental passes', () => {
  let gw: Gateway;
  let host: string;
  const get = async (): Promise<Observed> => JSON.parse(await kubectlOk(gw.cluster.kubeconfigPath, ['get', '-n', gw.namespace, 'api', 'echo', '-o', 'json'])) as Observed;
  const programmedAt = async (generation: number): Promise<true | undefined> => {
    const object = await get();
    const programmed = object.status?.conditions?.find((c) => c.type === 'Programmed');
    return programmed?.status === 'True' && programmed.observedGeneration === generation ? true : undefined;
  };

  beforeAll(async () => {
    gw = await startGateway('incremental');
    host = hostOf(gw, 'shop');
    await gw.apply(groupYaml(gw, 'shop') + api('one'));
    await gw.until({ host, path: '/echo' }, (r) => r.body === 'one');
    await waitFor(() => programmedAt(1), { what: 'Api echo Programmed=True for generation 1', timeoutMs: 30_000 });
  }, 180_000);
  afterAll(async () => {
    await gw.stop();
  }, 60_000);

  it('serves an edit and writes its status with one translation; the status writes it causes are skipped', async () => {
    const before = passes(gw);
    await gw.apply(api('two'));
    await gw.until({ host, path: '/echo' }, (r) => r.body === 'two');
    await waitFor(() => programmedAt(2), { what: 'Api echo Programmed=True for generation 2', timeoutMs: 30_000 });
    // The operator's Programmed writes (Pending, then True) come back through the informers.
    await waitFor(() => (passes(gw).skipped > before.skipped ? true : undefined), { what: 'a skipped pass after the status writes', timeoutMs: 15_000 });
    expect(passes(gw).translated).toBe(before.translated + 1);
  });

  it('does not translate for a status-only write by someone else', async () => {
    const before = passes(gw);
    const patch = JSON.stringify({ status: { conditions: [{ type: 'Accepted', status: 'False', reason: 'Invalid', message: 'not from the operator', lastTransitionTime: '2020-01-01T00:00:00Z', observedGeneration: 2 }] } });
    await kubectlOk(gw.cluster.kubeconfigPath, ['patch', '-n', gw.namespace, 'api', 'echo', '--subresource=status', '--type=merge', '-p', patch]);
    // Seen (skipped), and the operator puts its own status back (skipped again): never translated.
    await waitFor(async () => {
      const accepted = (await get()).status?.conditions?.find((c) => c.type === 'Accepted');
      return accepted?.status === 'True' && passes(gw).skipped >= before.skipped + 2 ? true : undefined;
    }, { what: 'the status write seen and the operator\'s status restored', timeoutMs: 15_000 });
    expect(passes(gw).translated).toBe(before.translated);
    expect((await gw.request({ host, path: '/echo' })).body).toBe('two');
  });
});
