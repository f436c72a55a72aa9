import fs from 'node:fs';
import path from 'node:path';
import { MODULE_SEARCH_PATH } from '@turnpike/operator';
import { binary, cacheDir } from './bins';
import { startProcess, tail, type Proc } from './procs';
import { waitFor } from './wait';

/** A running Envoy with its admin endpoint discovered. */
export interface Envoy {
  readonly proc: Proc;
  /** http://127.0.0.1:<port> of the admin interface. */
  readonly admin: string;
  stop(): Promise<void>;
}

export interface EnvoyOptions {
  /** Bootstrap as an object (written as JSON) — Envoy accepts JSON for -c. */
  readonly bootstrap: Readonly<Record<string, unknown>>;
  readonly dir: string;
  readonly name?: string;
  readonly logLevel?: string;
}

/** Starts Envoy (no hot restart, one worker) and waits until its admin answers /ready. */
export async function startEnvoy(options: EnvoyOptions): Promise<Envoy> {
  const name = options.name ?? 'envoy';
  fs.mkdirSync(options.dir, { recursive: true });
  const bootstrapFile = path.join(options.dir, `${name}-bootstrap.json`);
  const adminFile = path.join(options.dir, `${name}-admin.addr`);
  fs.rmSync(adminFile, { force: true });
  fs.writeFileSync(bootstrapFile, JSON.stringify(options.bootstrap, null, 2));
  const proc = startProcess({
    name,
    command: binary('envoy'),
    args: [
      '-c', bootstrapFile, '--disable-hot-restart', '--concurrency', '1',
      '--admin-address-path', adminFile, '--log-level', options.logLevel ?? 'warn',
    ],
    logDir: options.dir,
    // Where Envoy loads the authn module (lib<name>.so) from: `make setup`'s cache.
    env: { [MODULE_SEARCH_PATH]: path.join(cacheDir, 'bin') },
  });
  const admin = await waitFor(() => {
    if (!proc.isRunning()) throw new Error(`envoy exited:\n${tail(proc.logFile, 20)}`);
    const address = fs.existsSync(adminFile) ? fs.readFileSync(adminFile, 'utf8').trim() : '';
    return address === '' ? undefined : `http://${address}`;
  }, { what: `envoy admin address (log: ${proc.logFile})`, timeoutMs: 20_000 });
  return { proc, admin, stop: () => proc.stop() };
}

/** The admin bootstrap fragment: admin on an ephemeral loopback port. */
export const adminOnLoopback = {
  address: { socket_address: { address: '127.0.0.1', port_value: 0 } },
};

/** Reads a counter or gauge from Envoy's /stats (undefined when absent). */
export async function envoyStat(envoy: Envoy, stat: string): Promise<number | undefined> {
  const res = await fetch(`${envoy.admin}/stats?filter=${encodeURIComponent(`^${stat}$`)}`);
  const line = (await res.text()).split('\n').find((l) => l.startsWith(`${stat}: `));
  return line === undefined ? undefined : Number(line.slice(stat.length + 2));
}
