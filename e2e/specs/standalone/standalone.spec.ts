// The quick start as a user runs it: `turnpike standalone -f examples` with its demo backends, and
// the same files edited while it runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { call, freePort, json, repoRoot, startStandalone, waitFor, type HttpReply, type TurnpikeProcess } from '../../src';

interface Echo { backend: string; path: string }

describe('standalone mode on the examples', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-standalone-'));
  const manifests = path.join(dir, 'examples');
  let gateway: TurnpikeProcess;
  const host = 'demo.default.apigw.localhost';
  const get = (p: string, headers: Record<string, string> = {}): Promise<HttpReply> => call({ port: gateway.httpPort, host, path: p, headers });
  const until = (p: string, check: (r: HttpReply) => boolean): Promise<HttpReply> =>
    waitFor(async () => {
      const reply = await get(p);
      return check(reply) ? reply : undefined;
    }, { what: `${p} to pass its check`, timeoutMs: 15_000, intervalMs: 50 });

  beforeAll(async () => {
    fs.cpSync(path.join(repoRoot, 'examples'), manifests, { recursive: true });
    // The examples' demo backends listen on 18080/18081; tests take free ports instead.
    const [release, dev] = [await freePort(), await freePort()];
    const groupFile = path.join(manifests, '00-apigroup.yaml');
    fs.writeFileSync(groupFile, fs.readFileSync(groupFile, 'utf8').replace('"18080"', `"${release}"`).replace('"18081"', `"${dev}"`));
    gateway = await startStandalone({ manifests, dir, extraArgs: ['--demo-backends', `${release},${dev}`] });
  }, 120_000);
  afterAll(async () => {
    await gateway.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers the documented first curl', async () => {
    const reply = await until('/hello', (r) => r.status === 200);
    expect(json<{ message: string }>(reply)).toEqual({ message: 'hello from turnpike' });
  });

  it('forwards to the environment selected by X-Stage', async () => {
    const release = json<Echo>(await until('/users/42', (r) => r.status === 200));
    const dev = json<Echo>(await get('/users/42', { 'X-Stage': 'DEV' }));
    expect(release.path).toBe('/api/users/42');
    expect(release.backend).not.toBe(dev.backend);
  });

  it('serves an edit within a second, keeps serving a file that breaks as it was, and serves the others', async () => {
    await until('/hello', (r) => r.status === 200);
    const file = path.join(manifests, '10-api-hello-mock.yaml');
    const original = fs.readFileSync(file, 'utf8');
    const started = Date.now();
    fs.writeFileSync(file, original.replace('hello from turnpike', 'edited'));
    await until('/hello', (r) => r.body.includes('edited'));
    expect(Date.now() - started).toBeLessThan(1_000);
    fs.writeFileSync(file, `${original}\n  : : not yaml [`);
    fs.writeFileSync(path.join(manifests, '99-new.yaml'), 'apiVersion: turnpike.dev/v1alpha1\nkind: Api\nmetadata: {name: x}\nspec: {groupRef: {name: demo}, method: GET, path: /x, backend: {mock: {}}}\n');
    await waitFor(() => fs.readFileSync(gateway.proc.logFile, 'utf8').includes('manifest file not reloaded'), { what: 'the reload error in the log' });
    // A broken file keeps its last good content; the other files are read as they are.
    await until('/x', (r) => r.status === 200);
    expect((await get('/hello')).body).toContain('edited');
  });
});
