import { turnpikeCli } from './gateway';
import { freePort, isListening } from './ports';
import { startProcess, tail, type Proc } from './procs';
import { waitFor } from './wait';

/** A `turnpike authz` process (cluster mode's ext_authz service). */
export interface AuthzProcess {
  readonly proc: Proc;
  /** Where Envoy reaches it: pass `--authz-address 127.0.0.1:<port>` to the operator. */
  readonly port: number;
  stop(): Promise<void>;
}

export interface AuthzOptions {
  readonly dir: string;
  /** The operator's xDS port (authz fetches Apps and SignatureKeys there). */
  readonly xdsPort: number;
  /** Fixed port (to restart where the previous one was); default a free one. */
  readonly port?: number;
  readonly fleet?: string;
  readonly name?: string;
}

/** Starts `turnpike authz` and waits until it accepts connections. */
export async function startAuthzProcess(options: AuthzOptions): Promise<AuthzProcess> {
  const port = options.port ?? (await freePort());
  const name = options.name ?? 'authz';
  const args = [
    turnpikeCli, 'authz', '--xds-address', `127.0.0.1:${options.xdsPort}`, '--listen', `127.0.0.1:${port}`,
    '--fleet', options.fleet ?? 'turnpike', '--node-id', name,
  ];
  const proc = startProcess({ name, command: process.execPath, args, logDir: options.dir, env: { TURNPIKE_LOG_LEVEL: 'debug' } });
  await waitFor(async () => {
    if (!proc.isRunning()) throw new Error(`${name} exited:\n${tail(proc.logFile, 30)}`);
    return isListening(port);
  }, { what: `${name} on ${port} (log: ${proc.logFile})`, timeoutMs: 30_000 });
  return { proc, port, stop: () => proc.stop() };
}
