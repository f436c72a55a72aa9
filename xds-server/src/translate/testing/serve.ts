// Serves translated resources with a real Envoy (static bootstrap, ephemeral loopback ports) and
// speaks HTTP(S) to it, for behaviour tests of the translation.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { EnvoyResources } from '..';
import { envoyBinary, staticBootstrap } from './envoy';

export interface ServedEnvoy {
  /** Listener name (`http`, `https`) → bound port. */
  readonly ports: ReadonlyMap<string, number>;
  stop(): Promise<void>;
}

export interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface Call {
  readonly port: number;
  readonly host: string;
  readonly path: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Speak TLS with this SNI (certificates are not verified). */
  readonly tls?: boolean;
}

/** One HTTP/1.1 exchange; the whole body is read. */
export function call(options: Call): Promise<Reply> {
  const base = { host: '127.0.0.1', port: options.port, path: options.path, method: options.method ?? 'GET', headers: { host: options.host, ...options.headers }, agent: false };
  return new Promise((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }); });
    };
    const req = options.tls === true
      ? https.request({ ...base, servername: options.host, rejectUnauthorized: false }, onResponse)
      : http.request(base, onResponse);
    req.on('error', reject);
    req.end();
  });
}

async function poll<T>(what: string, probe: () => Promise<T | undefined>, child: ChildProcess, log: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`envoy exited while waiting for ${what}:\n${fs.readFileSync(log, 'utf8').slice(-3000)}`);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function listenerPorts(admin: string): Promise<ReadonlyMap<string, number> | undefined> {
  const ready = await fetch(`http://${admin}/ready`);
  if (ready.status !== 200) return undefined;
  const body = (await (await fetch(`http://${admin}/listeners?format=json`)).json()) as {
    listener_statuses: { name: string; local_address: { socket_address: { port_value: number } } }[];
  };
  return new Map(body.listener_statuses.map((l) => [l.name.replace(/^t:/, ''), l.local_address.socket_address.port_value]));
}

/** Starts Envoy on the resources (as one static bootstrap) and waits until its listeners are up. */
export async function serveEnvoy(resources: EnvoyResources): Promise<ServedEnvoy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-serve-'));
  const bootstrap = { admin: { address: { socket_address: { address: '127.0.0.1', port_value: 0 } } }, ...staticBootstrap(new Map([['t', resources]]), 0) };
  const config = path.join(dir, 'bootstrap.json');
  const adminFile = path.join(dir, 'admin.addr');
  const log = path.join(dir, 'envoy.log');
  fs.writeFileSync(config, JSON.stringify(bootstrap));
  const out = fs.openSync(log, 'w');
  const child = spawn(envoyBinary(), ['-c', config, '--disable-hot-restart', '--concurrency', '1', '--admin-address-path', adminFile, '--log-level', 'warn'], { stdio: ['ignore', out, out] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    fs.closeSync(out);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const admin = await poll('admin address', () => Promise.resolve(fs.existsSync(adminFile) ? fs.readFileSync(adminFile, 'utf8').trim() || undefined : undefined), child, log);
    const ports = await poll('listeners', () => listenerPorts(admin), child, log);
    return { ports, stop };
  } catch (error: unknown) {
    await stop();
    throw error;
  }
}
