/**
 * The operator's Kubernetes client: JSON requests and watches over node:http(s), on keep-alive
 * connections. It replaces @kubernetes/client-node at run time, whose modules alone held ≈ 25 MiB
 * of the operator's RSS at 10,000 Apis (docs/performance.md, "The operator's Kubernetes client"):
 * the operator needs a handful of verbs on a handful of paths, not every generated API.
 *
 * A failed call rejects with a KubeApiError carrying the HTTP status as `code` and the server's
 * Status as `body` (errors.ts reads both); a call that got no answer rejects with the socket's or
 * the timeout's error.
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConnection, KubeCredentials } from './config';

export type PatchType = 'merge' | 'strategic';

const CONTENT_TYPES: Readonly<Record<PatchType | 'json', string>> = {
  json: 'application/json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface CallOptions {
  /** The whole call, answer included, must end within this. */
  readonly timeoutMs: number;
  readonly query?: Query;
}

export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';
  constructor(readonly code: number, readonly body: unknown, method: string, path: string) {
    super(`${method} ${path}: HTTP ${code}`);
  }
}

/** One line of a watch: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR, with its object. */
export interface WatchEvent {
  readonly type: string;
  readonly object: unknown;
}

export interface Watching {
  /** Settles when the stream ends: resolves when the server closed it, rejects on an error. */
  readonly ended: Promise<void>;
}

function withQuery(path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.set(key, String(value));
  const search = params.toString();
  return search === '' ? path : `${path}?${search}`;
}

/** Settles `done` when the answer ends: resolved at its end, rejected if the connection failed or closed first. */
function onEnd(response: http.IncomingMessage, done: { resolve: () => void; reject: (err: Error) => void }): void {
  response.on('end', done.resolve);
  response.on('error', done.reject);
  response.on('close', () => { if (!response.complete) done.reject(new Error('the connection closed before the answer ended')); });
}

function readBody(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => { chunks.push(chunk); });
    onEnd(response, { resolve: () => { resolve(Buffer.concat(chunks).toString('utf8')); }, reject });
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export class KubeClient {
  readonly #connection: KubeConnection;
  readonly #secure: boolean;
  /** Keep-alive agents by client certificate (an exec plugin may hand out a new one). */
  readonly #agents = new Map<string, http.Agent>();

  constructor(connection: KubeConnection) {
    this.#connection = connection;
    this.#secure = connection.server.startsWith('https:');
  }

  get description(): string {
    return this.#connection.description;
  }

  get<T>(path: string, options: CallOptions): Promise<T> {
    return this.call<T>('GET', path, undefined, 'json', options);
  }

  create<T>(path: string, body: unknown, options: CallOptions): Promise<T> {
    return this.call<T>('POST', path, body, 'json', options);
  }

  replace<T>(path: string, body: unknown, options: CallOptions): Promise<T> {
    return this.call<T>('PUT', path, body, 'json', options);
  }

  patch<T>(path: string, body: unknown, type: PatchType, options: CallOptions): Promise<T> {
    return this.call<T>('PATCH', path, body, type, options);
  }

  /**
   * Opens a watch (`watch=true` is added to `query`). Resolves once the server has answered, with
   * the stream's end; each event is handed to `onEvent` in order. Aborting `signal` ends it.
   */
  async watch(path: string, query: Query, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<Watching> {
    const response = await this.send('GET', withQuery(path, { ...query, watch: true }), undefined, 'json', signal);
    if (response.statusCode !== 200) throw new KubeApiError(response.statusCode ?? 0, parseJson(await readBody(response)), 'WATCH', path);
    const ended = new Promise<void>((resolve, reject) => {
      let rest = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          if (line.trim() === '') continue;
          let event: unknown;
          try {
            event = JSON.parse(line);
          } catch {
            response.destroy(new Error(`WATCH ${path}: a line that is not JSON`));
            return;
          }
          const record = typeof event === 'object' && event !== null ? event as { type?: unknown; object?: unknown } : {};
          try {
            onEvent({ type: typeof record.type === 'string' ? record.type : '', object: record.object });
          } catch (err) {
            // A consumer's fault ends this watch (its caller sees the error), never the process.
            response.destroy(err instanceof Error ? err : new Error(String(err)));
            return;
          }
        }
      });
      onEnd(response, { resolve, reject });
    });
    return { ended };
  }

  private async call<T>(method: string, path: string, body: unknown, type: PatchType | 'json', options: CallOptions): Promise<T> {
    const signal = AbortSignal.timeout(options.timeoutMs);
    const target = withQuery(path, options.query);
    const response = await this.send(method, target, body, type, signal);
    const text = await readBody(response);
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) throw new KubeApiError(status, parseJson(text), method, path);
    return parseJson(text) as T;
  }

  private async send(method: string, target: string, body: unknown, type: PatchType | 'json', signal: AbortSignal): Promise<http.IncomingMessage> {
    const credentials = await this.#connection.credentials();
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: http.OutgoingHttpHeaders = {
      Accept: 'application/json',
      'User-Agent': 'turnpike-operator',
      ...(credentials.token === undefined ? {} : { Authorization: `Bearer ${credentials.token}` }),
      ...(payload === undefined ? {} : { 'Content-Type': CONTENT_TYPES[type], 'Content-Length': Buffer.byteLength(payload) }),
    };
    const url = new URL(this.#connection.server + target);
    const request = (this.#secure ? https.request : http.request)(url, { method, headers, agent: this.agent(credentials), signal });
    return new Promise((resolve, reject) => {
      request.on('response', resolve);
      request.on('error', reject);
      request.end(payload);
    });
  }

  private agent(credentials: KubeCredentials): http.Agent {
    const key = credentials.cert ?? '';
    let agent = this.#agents.get(key);
    if (agent === undefined) {
      const c = this.#connection;
      agent = this.#secure
        ? new https.Agent({
          keepAlive: true,
          ...(c.ca === undefined ? {} : { ca: c.ca }),
          ...(credentials.cert === undefined || credentials.key === undefined ? {} : { cert: credentials.cert, key: credentials.key }),
          rejectUnauthorized: !c.insecureSkipTlsVerify,
          ...(c.tlsServerName === undefined ? {} : { servername: c.tlsServerName }),
        })
        : new http.Agent({ keepAlive: true });
      // An exec plugin's old certificate's connections are closed, not kept.
      for (const old of this.#agents.values()) old.destroy();
      this.#agents.clear();
      this.#agents.set(key, agent);
    }
    return agent;
  }

  /** Closes the idle keep-alive connections (the process can then exit on its own). */
  close(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }
}

/**
 * The REST path of a collection (in every namespace when `namespace` is undefined) or, with `name`,
 * of one object, optionally a subresource. `group` is '' for the core API.
 */
export function objectPath(
  api: { readonly group: string; readonly version: string; readonly plural: string },
  namespace: string | undefined,
  name?: string,
  subresource?: string,
): string {
  const prefix = api.group === '' ? `/api/${api.version}` : `/apis/${api.group}/${api.version}`;
  const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  const tail = name === undefined ? '' : `/${encodeURIComponent(name)}${subresource === undefined ? '' : `/${subresource}`}`;
  return `${prefix}${scope}/${api.plural}${tail}`;
}

export const SECRETS = { group: '', version: 'v1', plural: 'secrets' } as const;

/** The fields of a core/v1 Secret the operator reads and writes. */
export interface Secret {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly type?: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly resourceVersion?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly ownerReferences?: readonly unknown[];
  };
  /** Base64 values. */
  readonly data?: Readonly<Record<string, string>>;
  /** Plain values, written only. */
  readonly stringData?: Readonly<Record<string, string>>;
}
export const LEASES = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases' } as const;
export const DEPLOYMENTS = { group: 'apps', version: 'v1', plural: 'deployments' } as const;
