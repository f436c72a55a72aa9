// The files provider reads only what changed and hands the pipeline only the objects that changed:
// edits of one document, files renamed, objects moved between files, documents and files and
// folders deleted, a file broken and fixed again, each checked through the real Envoy, with the
// provider's and the pipeline's debug lines saying how much was read and recomputed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { call, startStandalone, waitFor, type TurnpikeProcess } from '../../src';
import { get, GROUP, markerReloader, mockApi, untilBody, untilGone } from './manifests';

interface LogRecord { msg?: string; files?: number; changed?: number; steps?: number }

const OTHER_GROUP = 'apiVersion: turnpike.dev/v1alpha1\nkind: ApiGroup\nmetadata: {name: other}\n';
const otherApi = (body: string): string =>
  `apiVersion: turnpike.dev/v1alpha1\nkind: Api\nmetadata: {name: elsewhere}\nspec: {groupRef: {name: other}, method: GET, path: /elsewhere, backend: {mock: {body: "${body}"}}}\n`;
const OTHER_HOST = 'other.default.apigw.localhost';
const documents = (...docs: string[]): string => docs.join('---\n');

describe('standalone: the files provider feeds what changed', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-incremental-'));
  const manifests = path.join(dir, 'manifests');
  const file = (name: string): string => path.join(manifests, name);
  let gateway: TurnpikeProcess;
  let port: number;

  const records = (msg: string): LogRecord[] => fs.readFileSync(gateway.proc.logFile, 'utf8').split('\n')
    .flatMap((line) => { try { return [JSON.parse(line) as LogRecord]; } catch { return []; } })
    .filter((record) => record.msg === msg);

  /** Runs `change`, waits for `served`, and returns the provider's and pipeline's lines in between. */
  const measured = async (change: () => void, served: () => Promise<unknown>): Promise<{ reads: LogRecord[]; passes: LogRecord[] }> => {
    const [reads, passes] = [records('manifests read').length, records('translated').length];
    change();
    await served();
    return { reads: records('manifests read').slice(reads), passes: records('translated').slice(passes) };
  };

  /** Calls each path until stopped, keeping every reply that is not 200 with the body given. */
  const keepCalling = (expected: Readonly<Record<string, string>>): { stop: () => Promise<string[]> } => {
    const state = { stopped: false };
    const wrong: string[] = [];
    const loop = (async (): Promise<void> => {
      while (!state.stopped) {
        for (const [p, body] of Object.entries(expected)) {
          const reply = await get(port, p);
          if (reply.status !== 200 || reply.body !== body) wrong.push(`${p}: ${reply.status} ${reply.body}`);
        }
      }
    })();
    return { stop: async () => { state.stopped = true; await loop; return wrong; } };
  };

  const elsewhere = (): ReturnType<typeof get> => call({ port, host: OTHER_HOST, path: '/elsewhere', timeoutMs: 2_000 });

  /** An edit of marker.yaml, served: after it, every earlier change has been read. */
  const reloaded = markerReloader(manifests, () => port);

  beforeAll(async () => {
    fs.mkdirSync(path.join(manifests, 'team'), { recursive: true });
    fs.writeFileSync(file('group.yaml'), GROUP);
    fs.writeFileSync(file('multi.yaml'), documents(mockApi('one', 'one'), mockApi('two', 'two'), mockApi('three', 'three')));
    fs.writeFileSync(file('a.yaml'), mockApi('mover', 'mover'));
    fs.writeFileSync(file('fragile.yaml'), mockApi('fragile', 'fragile-1'));
    fs.writeFileSync(file('marker.yaml'), mockApi('marker', 'm0'));
    fs.writeFileSync(file('team/other.yaml'), documents(OTHER_GROUP, otherApi('elsewhere')));
    gateway = await startStandalone({ manifests, dir, extraArgs: ['--no-ratelimit', '--log-level', 'debug'] });
    port = gateway.httpPort;
    for (const name of ['one', 'two', 'three', 'mover', 'fragile']) await untilBody(port, `/${name}`, name === 'fragile' ? 'fragile-1' : name, 60_000);
    expect((await elsewhere()).body).toBe('elsewhere');
  }, 120_000);
  afterAll(async () => {
    await gateway.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an edit of one document reads its file only, changes one object and recomputes one group', async () => {
    const calls = keepCalling({ '/one': 'one', '/three': 'three' });
    const { reads, passes } = await measured(
      () => { fs.writeFileSync(file('multi.yaml'), documents(mockApi('one', 'one'), mockApi('two', 'two-edited'), mockApi('three', 'three'))); },
      () => untilBody(port, '/two', 'two-edited'),
    );
    expect(await calls.stop()).toEqual([]);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.files === 1)).toBe(true);
    expect(reads.reduce((sum, r) => sum + (r.changed ?? 0), 0)).toBe(1);
    expect(passes.map((p) => p.steps)).toEqual([1]);
  });

  it('a file renamed keeps its objects served, unchanged', async () => {
    const calls = keepCalling({ '/mover': 'mover' });
    const before = records('manifests read').length;
    // The watcher may report the new name and the old one in one read or in two.
    const bothRead = (): true | undefined => records('manifests read').slice(before).reduce((sum, r) => sum + (r.files ?? 0), 0) >= 2 || undefined;
    const { reads, passes } = await measured(
      () => { fs.renameSync(file('a.yaml'), file('b.yaml')); },
      () => waitFor(bothRead, { what: 'both names read', timeoutMs: 15_000 }).finally(() => calls.stop()),
    );
    expect(await calls.stop()).toEqual([]);
    expect(reads.map((r) => r.changed)).toEqual(reads.map(() => 0));
    expect(passes).toEqual([]); // nothing changed for translation: no pass
    fs.writeFileSync(file('b.yaml'), mockApi('mover', 'renamed-then-edited'));
    await untilBody(port, '/mover', 'renamed-then-edited');
  });

  it('an object moved to another file (pasted there, then cut here) is served throughout; an edit on the way is served', async () => {
    const calls = keepCalling({ '/one': 'one', '/two': 'two-edited' });
    fs.writeFileSync(file('team/moved.yaml'), mockApi('mover', 'moved'));
    fs.writeFileSync(file('b.yaml'), '# the Api moved to team/moved.yaml\n');
    await untilBody(port, '/mover', 'moved');
    await reloaded();
    expect((await get(port, '/mover')).body).toBe('moved');
    // Moved back into the multi-document file, with the same text: never gone.
    const moverCalls = keepCalling({ '/mover': 'moved' });
    fs.writeFileSync(file('multi.yaml'), documents(mockApi('one', 'one'), mockApi('two', 'two-edited'), mockApi('three', 'three'), mockApi('mover', 'moved')));
    fs.rmSync(file('team/moved.yaml'));
    await reloaded();
    expect(await moverCalls.stop()).toEqual([]);
    expect(await calls.stop()).toEqual([]);
  });

  it('a document deleted from a file, then the file, then a folder: exactly their objects are gone', async () => {
    const calls = keepCalling({ '/one': 'one', '/fragile': 'fragile-1' });
    fs.writeFileSync(file('multi.yaml'), documents(mockApi('one', 'one'), mockApi('two', 'two-edited'), mockApi('mover', 'moved')));
    await untilGone(port, '/three');
    expect(await calls.stop()).toEqual([]);
    expect((await elsewhere()).body).toBe('elsewhere');

    fs.rmSync(file('multi.yaml'));
    for (const name of ['/one', '/two', '/mover']) await untilGone(port, name);
    fs.rmSync(file('team'), { recursive: true });
    await waitFor(async () => ((await elsewhere()).status === 200 ? undefined : true), { what: 'the other group gone', timeoutMs: 15_000 });
    expect((await get(port, '/fragile')).body).toBe('fragile-1');
  });

  it('a file that stops parsing keeps its last good objects served while other files are read; fixed, it is read again', async () => {
    const calls = keepCalling({ '/fragile': 'fragile-1' });
    fs.writeFileSync(file('fragile.yaml'), `${mockApi('fragile', 'fragile-2')}  : : [`);
    await waitFor(() => records('manifest file not reloaded: it does not parse; still serving its last good content').length > 0 || undefined, { what: 'the parse error reported', timeoutMs: 15_000 });
    await reloaded(); // other files are still read and served meanwhile
    expect(await calls.stop()).toEqual([]);
    fs.writeFileSync(file('fragile.yaml'), mockApi('fragile', 'fragile-3'));
    await untilBody(port, '/fragile', 'fragile-3');
    expect(records('manifest file loaded again').length).toBe(1);
  });
});
