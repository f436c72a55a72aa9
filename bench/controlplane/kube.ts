/**
 * A minimal client for the test cluster's API server: node https with the admin client
 * certificate over keep-alive connections, so a timed write costs one request on a warm TLS
 * connection (no kubectl process start-up, no client library in the timed path).
 */
import fs from 'node:fs';
import https from 'node:https';
import type { Pki } from '@turnpike/e2e';
import type { KubeObject } from '@turnpike/operator';
import { API_VERSION } from './fixtures';

export interface KubeReply {
  readonly status: number;
  readonly body: string;
}

export type Plural = 'apigroups' | 'apis';

export class KubeClient {
  readonly #agent: https.Agent;
  readonly #base: URL;

  constructor(server: string, pki: Pki, maxSockets = 64) {
    this.#base = new URL(server);
    this.#agent = new https.Agent({
      keepAlive: true,
      maxSockets,
      ca: fs.readFileSync(pki.caCert),
      cert: fs.readFileSync(pki.adminCert),
      key: fs.readFileSync(pki.adminKey),
    });
  }

  /**
   * Sends one request. `onSent` runs right after the request is handed to the socket, which is
   * when a timed write starts its clock.
   */
  request(method: string, path: string, body?: string, contentType = 'application/json', onSent?: () => void): Promise<KubeReply> {
    return new Promise((resolve, reject) => {
      const req = https.request({
        host: this.#base.hostname, port: this.#base.port, path, method, agent: this.#agent,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': contentType }) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }); });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
      onSent?.();
    });
  }

  async create(namespace: string, plural: Plural, object: KubeObject): Promise<void> {
    const reply = await this.request('POST', collectionPath(namespace, plural), JSON.stringify(object));
    if (reply.status !== 201) throw new Error(`create ${plural}/${object.metadata.name}: HTTP ${reply.status} ${reply.body.slice(0, 300)}`);
  }

  /** A JSON merge patch of one object; `onSent` marks the moment the write left the client. */
  async mergePatch(namespace: string, plural: Plural, name: string, patch: string, onSent?: () => void): Promise<void> {
    const reply = await this.request('PATCH', `${collectionPath(namespace, plural)}/${name}`, patch, 'application/merge-patch+json', onSent);
    if (reply.status !== 200) throw new Error(`patch ${plural}/${name}: HTTP ${reply.status} ${reply.body.slice(0, 300)}`);
  }

  /** A GET whose body is consumed as it arrives; resolves when it ends (or is aborted). */
  stream(path: string, signal: AbortSignal, onChunk: (chunk: string, state: { buffer: string }) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const state = { buffer: '' };
      const req = https.request({
        host: this.#base.hostname, port: this.#base.port, path, method: 'GET', agent: this.#agent, signal,
        headers: { accept: 'application/json' },
      }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`GET ${path}: HTTP ${res.statusCode ?? 0}`));
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => { onChunk(chunk, state); });
        res.on('end', () => { resolve(); });
        res.on('error', () => { resolve(); });
      });
      req.on('error', (err) => { if (signal.aborted) resolve(); else reject(err); });
      req.end();
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

export function collectionPath(namespace: string, plural: Plural): string {
  const [group, version] = API_VERSION.split('/');
  return `/apis/${group ?? ''}/${version ?? ''}/namespaces/${namespace}/${plural}`;
}

/** A long-running GET (a watch) whose body arrives as JSON lines; `done` settles when it ends. */
export interface Stream {
  readonly done: Promise<void>;
  close(): void;
}

/** Opens a watch-style request on `client`'s connection pool; each complete line goes to `onLine`. */
export function streamLines(client: KubeClient, path: string, onLine: (line: string) => void): Stream {
  const controller = new AbortController();
  const done = client.stream(path, controller.signal, (chunk, state) => {
    state.buffer += chunk;
    let newline = state.buffer.indexOf('\n');
    while (newline >= 0) {
      const line = state.buffer.slice(0, newline).trim();
      state.buffer = state.buffer.slice(newline + 1);
      if (line !== '') onLine(line);
      newline = state.buffer.indexOf('\n');
    }
  });
  return { done, close: () => { controller.abort(); } };
}
