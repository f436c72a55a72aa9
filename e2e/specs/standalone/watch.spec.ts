// `turnpike standalone -f .` started in the manifests folder, with the default state directory
// (.turnpike/standalone, inside that folder), and the folder edited every way editors and tools
// write files. Every edit must be served; what is not a manifest must never be read.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandalone, waitFor, type TurnpikeProcess } from '../../src';
import { get, GROUP, markerReloader, mockApi, untilBody, untilGone } from './manifests';

describe('standalone -f . watching its folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-watch-'));
  const manifests = path.join(dir, 'manifests');
  const file = (name: string): string => path.join(manifests, name);
  let gateway: TurnpikeProcess;
  let port: number;
  /** An edit of marker.yaml, served: after it, every earlier change has been read. */
  const reloaded = markerReloader(manifests, () => port);

  beforeAll(async () => {
    fs.mkdirSync(manifests);
    fs.writeFileSync(file('group.yaml'), GROUP);
    fs.writeFileSync(file('ping.yaml'), mockApi('ping', 'pong'));
    fs.writeFileSync(file('marker.yaml'), mockApi('marker', 'm0'));
    gateway = await startStandalone({ manifests: '.', cwd: manifests, dir, stateDir: null, extraArgs: ['--no-ratelimit'] });
    port = gateway.httpPort;
    await untilBody(port, '/ping', 'pong', 60_000);
  }, 120_000);
  afterAll(async () => {
    await gateway.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps its state in ./.turnpike/standalone and suggests a call it serves', async () => {
    expect(fs.existsSync(file('.turnpike/standalone/envoy-bootstrap.json'))).toBe(true);
    const banner = await waitFor(() => fs.readFileSync(gateway.proc.logFile, 'utf8').includes('Turnpike standalone is serving') && fs.readFileSync(gateway.proc.logFile, 'utf8'), { what: 'the banner' });
    expect(banner).toContain(`curl http://demo.default.apigw.localhost:${port}/ping`);
    expect(banner).not.toContain('/hello');
  });

  it('serves an edit within a second (truncate and write)', async () => {
    const started = Date.now();
    fs.writeFileSync(file('ping.yaml'), mockApi('ping', 'edited'));
    await untilBody(port, '/ping', 'edited');
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('serves every edit after a sed -i (a rename over the file), within a second each', async () => {
    execFileSync('sed', ['-i', 's/edited/sed-1/', file('ping.yaml')]);
    await untilBody(port, '/ping', 'sed-1');
    for (const body of ['write-2', 'write-3']) {
      const started = Date.now();
      fs.writeFileSync(file('ping.yaml'), mockApi('ping', body));
      await untilBody(port, '/ping', body);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
  });

  it('serves an editor safe write (a new file renamed over the old one), then later edits', async () => {
    fs.writeFileSync(file('.ping.yaml.tmp'), mockApi('ping', 'safe-write'));
    fs.renameSync(file('.ping.yaml.tmp'), file('ping.yaml'));
    await untilBody(port, '/ping', 'safe-write');
    fs.writeFileSync(file('ping.yaml'), mockApi('ping', 'after-safe-write'));
    await untilBody(port, '/ping', 'after-safe-write');
  });

  it('serves a file moved in, and forgets a file deleted', async () => {
    fs.writeFileSync(path.join(dir, 'moved.yaml'), mockApi('moved', 'moved-in'));
    fs.renameSync(path.join(dir, 'moved.yaml'), file('moved.yaml'));
    await untilBody(port, '/moved', 'moved-in');
    fs.writeFileSync(file('moved.yaml'), mockApi('moved', 'moved-edited'));
    await untilBody(port, '/moved', 'moved-edited');
    fs.rmSync(file('moved.yaml'));
    await untilGone(port, '/moved');
  });

  it('serves a new file in a new subfolder', async () => {
    fs.mkdirSync(file('more'));
    fs.writeFileSync(file('more/deep.yaml'), mockApi('deep', 'deep'));
    await untilBody(port, '/deep', 'deep');
    fs.writeFileSync(file('more/deep.yaml'), mockApi('deep', 'deeper'));
    await untilBody(port, '/deep', 'deeper');
  });

  it('never reads editor swap and backup files, hidden folders or its state directory', async () => {
    const unread: Record<string, string> = {
      '.ping.yaml.swp': 'swp',
      'ping.yaml~': 'tilde',
      '4913': 'vim-probe',
      '#ping.yaml#': 'emacs',
      '.git/ping.yaml': 'git',
      '.idea/ping.yaml': 'idea',
      '.turnpike/standalone/ping.yaml': 'state',
      'notes.txt': 'txt',
    };
    for (const [name, body] of Object.entries(unread)) {
      fs.mkdirSync(path.dirname(file(name)), { recursive: true });
      fs.writeFileSync(file(name), mockApi('ping', body));
    }
    await reloaded();
    expect((await get(port, '/ping')).body).toBe('after-safe-write');
    // The state directory's own files (the Envoy bootstrap JSON, credentials) are not objects either:
    // had they been read, no reload would pass.
    expect(fs.readFileSync(gateway.proc.logFile, 'utf8')).not.toMatch(/not (re)?loaded/);
  });
});
