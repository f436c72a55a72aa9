// Standalone's processes: a start with a broken manifest, a restart after `kill -9`, a second
// start on a busy state directory, a failed start, a stop whose child ignores SIGTERM, and a
// `turnpike envoy` killed with SIGKILL. Never two gateways, never a half-started process, never a
// child left behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, isListening, startProcess, startStandalone, turnpikeCli, waitFor, type TurnpikeProcess } from '../../src';
import { GROUP, mockApi, processes, startTime, untilBody } from './manifests';

interface Recorded { readonly name: string; readonly pid: number; readonly startTime: string }
/** The recorded process itself is running (not another that took its pid since). */
const stillRunning = (c: Recorded): boolean => startTime(c.pid) === c.startTime;

describe('standalone processes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-procs-'));
  const manifests = path.join(dir, 'manifests');
  // Inside -f on purpose, and not hidden: it must not be read either.
  const stateDir = path.join(manifests, 'state');
  const recordFile = path.join(stateDir, 'processes.json');
  const recorded = (): Recorded[] => (JSON.parse(fs.readFileSync(recordFile, 'utf8')) as { children: Recorded[] }).children;
  /** Live Envoys started with a bootstrap in our state directory. */
  const envoys = (): number[] => [...processes()].filter(([, argv]) => argv.includes(path.join(stateDir, 'envoy-bootstrap.json'))).map(([pid]) => pid);
  const log = (gateway: TurnpikeProcess): string => fs.readFileSync(gateway.proc.logFile, 'utf8');
  let ports: { xds: number; http: number; https: number };
  let gateway: TurnpikeProcess | undefined;

  beforeAll(async () => {
    ports = { xds: await freePort(), http: await freePort(), https: await freePort() };
    fs.mkdirSync(manifests);
    fs.writeFileSync(path.join(manifests, 'group.yaml'), GROUP);
    fs.writeFileSync(path.join(manifests, 'ping.yaml'), mockApi('ping', 'pong'));
    fs.writeFileSync(path.join(manifests, 'broken.yaml'), `${mockApi('broken', 'fixed')}  : : not yaml [\n`);
  });
  afterAll(async () => {
    await gateway?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const start = (name: string, env?: Record<string, string>): Promise<TurnpikeProcess> =>
    startStandalone({ manifests, dir, stateDir, ports, name, ...(env === undefined ? {} : { env }) });

  it('serves the valid manifests when one is broken at start, and the broken one once fixed', async () => {
    gateway = await start('first');
    const first = gateway;
    await untilBody(ports.http, '/ping', 'pong', 60_000);
    const banner = await waitFor(() => log(first).includes('Turnpike standalone is serving') && log(first), { what: 'the banner' });
    expect(banner).toContain('manifest file not loaded');
    expect(banner).toMatch(/Not loaded[^\n]*\n {2}\S*broken\.yaml: /);
    expect(banner).toContain(`curl http://demo.default.apigw.localhost:${ports.http}/ping`);
    fs.writeFileSync(path.join(manifests, 'broken.yaml'), mockApi('broken', 'fixed'));
    await untilBody(ports.http, '/broken', 'fixed');
    // The state directory (inside -f, not hidden) is never read: its JSON files are not manifests.
    fs.writeFileSync(path.join(stateDir, 'api.yaml'), mockApi('ping', 'from-state'));
    fs.writeFileSync(path.join(manifests, 'ping.yaml'), mockApi('ping', 'pong-2'));
    await untilBody(ports.http, '/ping', 'pong-2');
    expect(log(first)).not.toContain('manifest file not reloaded');
  });

  it('after kill -9, a restart stops the orphans and serves with exactly one Envoy', async () => {
    const first = gateway!;
    const orphans = recorded();
    expect(orphans.map((c) => c.name).sort()).toEqual(['envoy', 'ratelimit', 'redis-server']);
    process.kill(first.proc.pid, 'SIGKILL');
    await first.proc.exited;
    // The crash leaves its children running: that is what the restart must deal with.
    expect(orphans.filter(stillRunning).map((c) => c.name).sort()).toEqual(['envoy', 'ratelimit', 'redis-server']);
    gateway = await start('second');
    const second = gateway;
    await untilBody(ports.http, '/ping', 'pong-2', 60_000);
    expect(orphans.filter(stillRunning)).toEqual([]);
    expect(log(second)).toContain(`stopping processes left running by a turnpike standalone that did not stop them (pid ${first.proc.pid})`);
    expect(envoys()).toEqual(recorded().filter((c) => c.name === 'envoy').map((c) => c.pid));
    expect(envoys()).toHaveLength(1);
  });

  it('refuses a second standalone on a state directory in use, naming the running one', async () => {
    const running = gateway!;
    const third = startProcess({ name: 'third', command: process.execPath, logDir: dir, args: [turnpikeCli, 'standalone', '-f', manifests, '--state-dir', stateDir, '--xds-port', '0'] });
    expect(await third.exited).toBe('exit code 1');
    expect(fs.readFileSync(third.logFile, 'utf8')).toContain(`another turnpike standalone (pid ${running.proc.pid}) is running with the state directory ${stateDir}`);
    expect(running.proc.isRunning()).toBe(true);
    expect(envoys()).toHaveLength(1);
  });

  it('refuses to start an Envoy on ports another gateway serves (another state directory), naming it', async () => {
    const other = startProcess({
      name: 'other', command: process.execPath, logDir: dir,
      args: [turnpikeCli, 'standalone', '-f', manifests, '--state-dir', path.join(dir, 'other-state'), '--no-ratelimit', '--xds-port', '0', '--http-port', String(ports.http), '--https-port', String(ports.https)],
    });
    expect(await other.exited).toBe('exit code 1');
    const [envoy] = envoys();
    expect(fs.readFileSync(other.logFile, 'utf8')).toContain(`port ${ports.http} on 127.0.0.1 is already in use by envoy (pid ${envoy}): another gateway would share it`);
    expect(envoys()).toHaveLength(1);
    expect(await untilBody(ports.http, '/ping', 'pong-2')).toBeDefined();
  });

  it('stops within its grace period when a child ignores SIGTERM, leaving no child behind', async () => {
    const running = gateway!;
    const children = recorded();
    const envoy = children.find((c) => c.name === 'envoy')!;
    // A stopped process does not act on SIGTERM until continued; SIGKILL still ends it.
    process.kill(envoy.pid, 'SIGSTOP');
    const started = Date.now();
    process.kill(running.proc.pid, 'SIGTERM');
    await waitFor(() => !running.proc.isRunning(), { what: 'standalone to exit', timeoutMs: 20_000 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(children.filter(stillRunning)).toEqual([]);
    expect(fs.existsSync(recordFile)).toBe(false);
    gateway = undefined;
  });

  it('exits with an error and leaves nothing running when it cannot start (Envoy fails)', async () => {
    const failing = startProcess({
      name: 'failing', command: process.execPath, logDir: dir, env: { TURNPIKE_ENVOY: '/bin/false' },
      args: [turnpikeCli, 'standalone', '-f', manifests, '--state-dir', stateDir, '--xds-port', '0', '--http-port', String(ports.http), '--https-port', String(ports.https)],
    });
    expect(await failing.exited).toBe('exit code 1');
    const logText = fs.readFileSync(failing.logFile, 'utf8');
    expect(logText).toContain('turnpike: Envoy exited with code 1 before it started');
    // ratelimit and Redis had started: they are gone, and so is the record of them.
    const started = [...logText.matchAll(/"(grpcPort|redisPort)":([0-9]+)/g)].map((m) => Number(m[2]));
    expect(started).toHaveLength(2);
    for (const port of started) expect(await isListening(port)).toBe(false);
    expect(fs.existsSync(recordFile)).toBe(false);
  });
  it('stops what it started when SIGTERM arrives while it starts', async () => {
    const state = path.join(dir, 'interrupted-state');
    const interrupted = startProcess({
      name: 'interrupted', command: process.execPath, logDir: dir,
      args: [turnpikeCli, 'standalone', '-f', manifests, '--state-dir', state, '--xds-port', '0', '--http-port', String(await freePort()), '--https-port', String(await freePort())],
    });
    const record = path.join(state, 'processes.json');
    // Children are running, Envoy is not ready yet: the middle of the start.
    const children = await waitFor(() => {
      const text = fs.existsSync(record) ? fs.readFileSync(record, 'utf8') : '';
      return text.includes('ratelimit') && !fs.existsSync(path.join(state, 'envoy-admin.addr')) && (JSON.parse(text) as { children: Recorded[] }).children;
    }, { what: 'the start under way', intervalMs: 5 });
    process.kill(interrupted.pid, 'SIGTERM');
    await interrupted.exited;
    expect(children.filter(stillRunning)).toEqual([]);
    expect(processes().size).toBeGreaterThan(0);
    expect([...processes().values()].filter((argv) => argv.some((a) => a.startsWith(state)))).toEqual([]);
  });
  it('`turnpike envoy` killed with SIGKILL: the next one started on its state directory stops the Envoy it left', async () => {
    const state = path.join(dir, 'cli-envoy-state');
    // No control plane needed: Envoy starts, and retries xDS, without one.
    const args = [turnpikeCli, 'envoy', '--xds', `127.0.0.1:${await freePort()}`, '--state-dir', state];
    const cliEnvoys = (): number[] => [...processes()].filter(([, argv]) => argv.includes(path.join(state, 'envoy-bootstrap.json'))).map(([pid]) => pid);
    const adminUp = (): boolean => fs.existsSync(path.join(state, 'envoy-admin.addr')) && fs.readFileSync(path.join(state, 'envoy-admin.addr'), 'utf8').trim() !== '';
    const first = startProcess({ name: 'cli-envoy-1', command: process.execPath, logDir: dir, args });
    const [orphan] = await waitFor(() => adminUp() && cliEnvoys().length === 1 && cliEnvoys(), { what: 'the first CLI\'s Envoy', timeoutMs: 30_000 });
    process.kill(first.pid, 'SIGKILL');
    await first.exited;
    const born = startTime(orphan!);
    expect(born).toBeDefined();
    const second = startProcess({ name: 'cli-envoy-2', command: process.execPath, logDir: dir, args });
    try {
      await waitFor(() => adminUp() && cliEnvoys().length === 1 && cliEnvoys()[0] !== orphan, { what: 'the second CLI\'s Envoy, alone', timeoutMs: 30_000 });
      // Gone, or its pid taken by another process since. Waited for: the second CLI waits for the
      // orphan's end before it starts its Envoy, but /proc can show an exiting process a moment longer.
      await waitFor(() => startTime(orphan!) !== born, { what: 'the orphaned Envoy stopped', timeoutMs: 10_000 });
      expect(fs.readFileSync(second.logFile, 'utf8')).toContain(`stopping processes left running by a turnpike envoy that did not stop them (pid ${first.pid})`);
    } finally {
      await second.stop(15_000);
    }
    expect(cliEnvoys()).toEqual([]);
  });
});
