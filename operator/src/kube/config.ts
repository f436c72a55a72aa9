/**
 * Where the Kubernetes API server is and how to authenticate to it, for the operator's own client
 * (client.ts): the current context of a kubeconfig (a client certificate, a bearer token or token
 * file, or an exec credential plugin, as kubectl runs them), or the pod's service account.
 *
 * The lookup order is kubectl's: an explicit file (--kubeconfig or $KUBECONFIG, whose
 * colon-separated files are merged, the first one naming a thing winning), then
 * ~/.kube/config, then the service account of the pod the operator runs in.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load } from 'js-yaml';
import { ConfigError } from '../config';
import { isRecord } from '../json';

/** What authenticates one request. */
export interface KubeCredentials {
  readonly token?: string;
  /** PEM client certificate and key. */
  readonly cert?: string;
  readonly key?: string;
}

export interface KubeConnection {
  /** The API server's base URL, without a trailing slash. */
  readonly server: string;
  /** PEM certificate authorities to trust; the system's when absent. */
  readonly ca?: string;
  readonly insecureSkipTlsVerify: boolean;
  /** The TLS server name to verify, when it differs from the server's host. */
  readonly tlsServerName?: string;
  /** The credentials for the next request (a token file re-read, an exec plugin's answer while valid). */
  credentials(): Promise<KubeCredentials>;
  /** For logs: the server and where the configuration came from. Never a credential. */
  readonly description: string;
}

/** A kubeconfig the operator cannot use: the CLI exits 2 with its message. */
export class KubeConfigError extends ConfigError {
  override readonly name = 'KubeConfigError';
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** A token file (a projected service-account token rotates hourly) is re-read this often. */
const TOKEN_FILE_TTL_MS = 60_000;

/** Loads the connection: `file` (a path, or several joined by the platform's delimiter), else the defaults. */
export function loadKubeConnection(file?: string, env: NodeJS.ProcessEnv = process.env): KubeConnection {
  if (file !== undefined) return fromKubeconfig(file.split(path.delimiter).filter((f) => f !== ''));
  const home = path.join(os.homedir(), '.kube', 'config');
  if (fs.existsSync(home)) return fromKubeconfig([home]);
  if (env.KUBERNETES_SERVICE_HOST !== undefined) return inCluster(env);
  throw new KubeConfigError('no Kubernetes configuration: pass --kubeconfig, set KUBECONFIG, or run the operator in a cluster');
}

/** The pod's service account: the API server from the environment, the token and CA from the mounted files. */
export function inCluster(env: NodeJS.ProcessEnv, dir = SERVICE_ACCOUNT_DIR): KubeConnection {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const token = tokenFile(path.join(dir, 'token'));
  return {
    server, ca: readText(path.join(dir, 'ca.crt')), insecureSkipTlsVerify: false,
    credentials: async () => ({ token: await token() }), description: `${server} (in-cluster service account)`,
  };
}

/** One named entry of a kubeconfig list, and the file it came from (relative paths resolve there). */
interface Entry { readonly name: string; readonly value: Record<string, unknown>; readonly file: string }

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The entries of one kubeconfig list (`clusters`, `users`, `contexts`). */
function entries(doc: Record<string, unknown>, list: string, field: string, file: string): Entry[] {
  const items = doc[list];
  if (!Array.isArray(items)) return [];
  return items.flatMap((item: unknown) => {
    if (!isRecord(item) || typeof item.name !== 'string') return [];
    const value = item[field];
    return [{ name: item.name, value: isRecord(value) ? value : {}, file }];
  });
}

function fromKubeconfig(files: readonly string[]): KubeConnection {
  const docs = files.map((file) => {
    let doc: unknown;
    try {
      doc = load(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new KubeConfigError(`kubeconfig ${file}: ${reason(err)}`);
    }
    return { file, doc: isRecord(doc) ? doc : {} };
  });
  const first = <T>(pick: (d: { file: string; doc: Record<string, unknown> }) => T | undefined): T | undefined => {
    for (const d of docs) {
      const found = pick(d);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const named = (list: string, field: string, name: string): Entry | undefined =>
    first((d) => entries(d.doc, list, field, d.file).find((e) => e.name === name));
  const where = files.join(path.delimiter);
  const contextName = first((d) => string(d.doc, 'current-context'));
  if (contextName === undefined) throw new KubeConfigError(`kubeconfig ${where}: no current-context`);
  const context = named('contexts', 'context', contextName);
  if (context === undefined) throw new KubeConfigError(`kubeconfig ${where}: context "${contextName}" is not defined`);
  const clusterName = string(context.value, 'cluster');
  const cluster = clusterName === undefined ? undefined : named('clusters', 'cluster', clusterName);
  if (cluster === undefined) throw new KubeConfigError(`kubeconfig ${where}: context "${contextName}" names no defined cluster`);
  const server = string(cluster.value, 'server')?.replace(/\/+$/, '');
  if (server === undefined) throw new KubeConfigError(`kubeconfig ${where}: cluster "${cluster.name}" has no server`);
  const userName = string(context.value, 'user');
  const user = userName === undefined ? undefined : named('users', 'user', userName);
  const ca = pem(cluster.value, 'certificate-authority', cluster.file);
  const tlsServerName = string(cluster.value, 'tls-server-name');
  return {
    server,
    ...(ca === undefined ? {} : { ca }),
    insecureSkipTlsVerify: cluster.value['insecure-skip-tls-verify'] === true,
    ...(tlsServerName === undefined ? {} : { tlsServerName }),
    credentials: user === undefined ? () => Promise.resolve({}) : userCredentials(user.name, user.value, user.file),
    description: `${server} (context "${contextName}" of ${where})`,
  };
}

function string(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new KubeConfigError(`cannot read ${file}: ${reason(err)}`);
  }
}

/** A PEM from `<key>-data` (base64) or from the file `<key>` names (relative to the kubeconfig's folder). */
function pem(record: Record<string, unknown>, key: string, kubeconfig: string): string | undefined {
  const data = string(record, `${key}-data`);
  if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8');
  const file = string(record, key);
  return file === undefined ? undefined : readText(path.resolve(path.dirname(kubeconfig), file));
}

/** A token file's content, re-read once it is older than TOKEN_FILE_TTL_MS. */
function tokenFile(file: string): () => Promise<string> {
  let cached: { token: string; at: number } | undefined;
  return async () => {
    const now = Date.now();
    if (cached === undefined || now - cached.at > TOKEN_FILE_TTL_MS) {
      try {
        cached = { token: (await fs.promises.readFile(file, 'utf8')).trim(), at: now };
      } catch (err) {
        // A failed re-read keeps the last token: the kubelet rewrites the file in place.
        if (cached === undefined) throw new KubeConfigError(`cannot read the token file ${file}: ${reason(err)}`);
      }
    }
    return cached.token;
  };
}

function userCredentials(name: string, user: Record<string, unknown>, kubeconfig: string): () => Promise<KubeCredentials> {
  if (user['auth-provider'] !== undefined) {
    throw new KubeConfigError(`kubeconfig user "${name}": auth-provider is not supported; use an exec credential plugin (as current kubectl does)`);
  }
  if (string(user, 'username') !== undefined) throw new KubeConfigError(`kubeconfig user "${name}": basic authentication is not supported`);
  const cert = pem(user, 'client-certificate', kubeconfig);
  const key = pem(user, 'client-key', kubeconfig);
  if ((cert === undefined) !== (key === undefined)) throw new KubeConfigError(`kubeconfig user "${name}": a client certificate needs its key, and the other way round`);
  const pair = cert === undefined || key === undefined ? {} : { cert, key };
  const token = string(user, 'token');
  if (token !== undefined) return () => Promise.resolve({ ...pair, token });
  const file = string(user, 'tokenFile');
  if (file !== undefined) {
    const read = tokenFile(path.resolve(path.dirname(kubeconfig), file));
    return async () => ({ ...pair, token: await read() });
  }
  if (isRecord(user.exec)) return execCredentials(name, user.exec, pair);
  return () => Promise.resolve(pair);
}

/** An exec credential plugin (client.authentication.k8s.io): run it, keep its answer until it expires. */
function execCredentials(name: string, exec: Record<string, unknown>, pair: KubeCredentials): () => Promise<KubeCredentials> {
  const command = string(exec, 'command');
  if (command === undefined) throw new KubeConfigError(`kubeconfig user "${name}": exec has no command`);
  const args = Array.isArray(exec.args) ? exec.args.filter((a): a is string => typeof a === 'string') : [];
  const extraEnv = Array.isArray(exec.env)
    ? Object.fromEntries(exec.env.flatMap((e: unknown) => (isRecord(e) && typeof e.name === 'string' && typeof e.value === 'string' ? [[e.name, e.value]] : [])))
    : {};
  const apiVersion = string(exec, 'apiVersion') ?? 'client.authentication.k8s.io/v1';
  const execInfo = JSON.stringify({ apiVersion, kind: 'ExecCredential', spec: { interactive: false } });
  let cached: { credentials: KubeCredentials; until: number } | undefined;
  return async () => {
    if (cached !== undefined && Date.now() < cached.until) return cached.credentials;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(command, args, { env: { ...process.env, ...extraEnv, KUBERNETES_EXEC_INFO: execInfo }, timeout: 60_000, maxBuffer: 1 << 20 }, (err, out) => {
        // The plugin's stderr may hold secrets or prompts: only its exit is reported.
        if (err !== null) reject(new KubeConfigError(`kubeconfig user "${name}": the exec credential plugin ${command} failed (${err.code ?? err.message})`));
        else resolve(out);
      });
    });
    let status: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(stdout);
      if (isRecord(parsed) && isRecord(parsed.status)) status = parsed.status;
    } catch {
      throw new KubeConfigError(`kubeconfig user "${name}": the exec credential plugin ${command} printed no ExecCredential`);
    }
    const token = string(status, 'token');
    const cert = string(status, 'clientCertificateData');
    const key = string(status, 'clientKeyData');
    const credentials: KubeCredentials = { ...pair, ...(token === undefined ? {} : { token }), ...(cert === undefined || key === undefined ? {} : { cert, key }) };
    const expires = string(status, 'expirationTimestamp');
    // Renewed a little before it expires; kept for the process's life when it never does.
    cached = { credentials, until: expires === undefined ? Infinity : Date.parse(expires) - 10_000 };
    return credentials;
  };
}
