// The smallest helper to run the real Envoy for ADS component tests. (The shared process harness in
// e2e/src/harness cannot be imported from xds-server: e2e depends on xds-server, not the reverse.)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { get } from './http-backend';
import { waitFor } from './wait';

export { freePort } from '../../net/free-port';

export interface EnvoyProcess {
  /** http://127.0.0.1:<port> of the admin interface. */
  readonly admin: string;
  readonly logFile: string;
  /** Envoy's log from byte `offset` on (see logSize). */
  logSince(offset: number): string;
  logSize(): number;
  stop(): Promise<void>;
}

const running = new Set<number>();
process.once('exit', () => {
  // Last resort: no Envoy outlives the test process.
  for (const pid of running) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

function envoyBinary(): string {
  const cache = process.env['TURNPIKE_CACHE'] ?? path.join(os.homedir(), '.cache', 'turnpike');
  const file = path.join(cache, 'bin', 'envoy');
  if (!fs.existsSync(file)) throw new Error(`envoy is not installed (no ${file}): run \`make setup\``);
  return file;
}

/** Starts Envoy with `bootstrap` (written as JSON), one worker, no hot restart, admin on a discovered port. */
export async function startEnvoy(bootstrap: unknown, name: string): Promise<EnvoyProcess> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `turnpike-${name}-`));
  const config = path.join(dir, 'bootstrap.json');
  const adminFile = path.join(dir, 'admin.addr');
  const logFile = path.join(dir, 'envoy.log');
  fs.writeFileSync(config, JSON.stringify(bootstrap, null, 2));
  const out = fs.openSync(logFile, 'a');
  const child = spawn(envoyBinary(), ['-c', config, '--disable-hot-restart', '--concurrency', '1', '--admin-address-path', adminFile, '--log-level', 'info'], { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start envoy');
  running.add(pid);
  let exited = false;
  const gone = new Promise<void>((resolve) => { child.once('exit', () => { exited = true; running.delete(pid); resolve(); }); });
  const readLog = (offset: number): string => fs.readFileSync(logFile, 'utf8').slice(offset);
  const admin = await waitFor(() => {
    if (exited) throw new Error(`envoy exited:\n${readLog(0).slice(-3000)}`);
    const address = fs.existsSync(adminFile) ? fs.readFileSync(adminFile, 'utf8').trim() : '';
    return address === '' ? undefined : `http://${address}`;
  }, { what: `envoy admin address (${logFile})` });
  return {
    admin, logFile,
    logSince: readLog,
    logSize: () => fs.statSync(logFile).size,
    stop: async () => {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => { child.kill('SIGKILL'); }, 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/** Envoy's /config_dump as JSON. */
export async function configDump(envoy: EnvoyProcess): Promise<unknown> {
  const res = await get(`${envoy.admin}/config_dump`);
  if (res.status !== 200) throw new Error(`config_dump: HTTP ${res.status}`);
  return JSON.parse(res.body) as unknown;
}

/** A counter or gauge from /stats (undefined when absent). */
export async function envoyStat(envoy: EnvoyProcess, stat: string): Promise<number | undefined> {
  const res = await get(`${envoy.admin}/stats?filter=${encodeURIComponent(`^${stat.replace(/\./g, '\\.')}$`)}`);
  const line = res.body.split('\n').find((l) => l.startsWith(`${stat}: `));
  return line === undefined ? undefined : Number(line.slice(stat.length + 2));
}
