/** Shared by the operator-k8s specs: kubeconfigs, captured logs, and restarting the API server. */
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { KubeClient } from '../../../operator/src/kube/client';
import { loadKubeConnection } from '../../../operator/src/kube/config';
import { createLogger, type Logger } from '../../../operator/src/log';
import { startProcess, waitFor, type ControlPlane, type Proc } from '../../src/harness';

/** The operator's client with the plane's admin kubeconfig (a client certificate). */
export function adminKube(plane: Pick<ControlPlane, 'kubeconfigPath'>): KubeClient {
  return new KubeClient(loadKubeConnection(plane.kubeconfigPath));
}

/** The operator's client authenticating with a bearer token (a ServiceAccount's). */
export function tokenKube(plane: Pick<ControlPlane, 'server' | 'pki'>, token: string): KubeClient {
  return new KubeClient({
    server: plane.server, ca: fs.readFileSync(plane.pki.caCert, 'utf8'), insecureSkipTlsVerify: false,
    credentials: () => Promise.resolve({ token }), description: `${plane.server} (ServiceAccount token)`,
  });
}

export interface CapturedLog {
  readonly log: Logger;
  readonly records: Record<string, unknown>[];
  /** Records at warn or error level. */
  problems(): Record<string, unknown>[];
  has(msg: string): boolean;
}

/** A real logger (redaction included) whose JSON lines are kept for assertions. */
export function captureLog(): CapturedLog {
  const records: Record<string, unknown>[] = [];
  const log = createLogger({ level: 'debug', write: (line) => { records.push(JSON.parse(line) as Record<string, unknown>); } });
  return {
    log,
    records,
    problems: () => records.filter((r) => r.level === 'warn' || r.level === 'error'),
    has: (msg) => records.some((r) => r.msg === msg),
  };
}

function readyz(server: string, ca: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    https.get(`${server}/readyz`, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on('error', () => { resolve(false); });
  });
}

/**
 * Kills the plane's kube-apiserver (SIGTERM, SIGKILL after `graceMs`: the API server "goes away")
 * and returns a function that starts it again, with the same
 * command line (read from /proc, so the harness's flags stay defined in one place), on the same
 * port and etcd. The caller must stop the returned Proc before stopping the plane.
 */
export async function stopApiServer(plane: ControlPlane, graceMs = 100): Promise<() => Promise<Proc>> {
  const old = plane.procs.find((proc) => proc.name.startsWith('kube-apiserver'));
  if (old === undefined) throw new Error('no kube-apiserver in this control plane');
  const argv = fs.readFileSync(`/proc/${old.pid}/cmdline`, 'utf8').split('\0').filter((arg) => arg !== '');
  const [command, ...args] = argv;
  if (command === undefined) throw new Error('cannot read the kube-apiserver command line');
  await old.stop(graceMs);
  const ca = fs.readFileSync(plane.pki.caCert);
  return async () => {
    const proc = startProcess({ name: 'kube-apiserver-restarted', command, args, logDir: path.join(plane.dir, 'logs') });
    await waitFor(async () => {
      if (!proc.isRunning()) throw new Error('the restarted kube-apiserver exited');
      return readyz(plane.server, ca);
    }, { what: 'the restarted kube-apiserver', timeoutMs: 90_000, intervalMs: 250 });
    return proc;
  };
}

/** Polls `invariant` for `ms` and fails if it was ever false: "this stays true meanwhile". */
export async function holdsFor(ms: number, invariant: () => boolean, what: string): Promise<void> {
  const until = Date.now() + ms;
  const state = { violated: false };
  await waitFor(() => {
    if (!invariant()) state.violated = true;
    return state.violated || Date.now() >= until;
  }, { what, timeoutMs: ms + 5_000, intervalMs: 50 });
  if (state.violated) throw new Error(`violated: ${what}`);
}
