/**
 * A small HTTP backend that answers with what it received, as JSON. The quick start routes its
 * example Apis to it, and the e2e specs use it to see exactly what the gateway forwarded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EchoReply {
  readonly backend: string;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface EchoServer {
  readonly port: number;
  readonly url: string;
  /** Every request received so far, oldest first. */
  readonly received: readonly EchoReply[];
  /** Delay before answering (tests of backend timeouts set it). */
  delayMs: number;
  close(): Promise<void>;
}

export interface EchoOptions {
  readonly port?: number;
  readonly host?: string;
  /** Included in every reply, to tell several backends apart. */
  readonly name?: string;
}

function answer(res: http.ServerResponse, reply: EchoReply): void {
  // /status/<code> lets a caller ask for a given status.
  const status = /^\/status\/(\d{3})$/.exec(reply.path)?.[1];
  res.writeHead(status === undefined ? 200 : Number(status), { 'content-type': 'application/json' });
  res.end(JSON.stringify(reply));
}

export async function startEchoServer(options: EchoOptions = {}): Promise<EchoServer> {
  const name = options.name ?? 'echo';
  const received: EchoReply[] = [];
  const settings = { delayMs: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const [path = '/', query = ''] = (req.url ?? '/').split(/\?(.*)/s);
      const body = Buffer.concat(chunks).toString('utf8');
      const reply: EchoReply = { backend: name, method: req.method ?? 'GET', path, query, headers: req.headers, body };
      received.push(reply);
      if (settings.delayMs > 0) setTimeout(() => { answer(res, reply); }, settings.delayMs);
      else answer(res, reply);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => {
        resolve();
      });
    });
  return Object.assign(settings, { port, url: `http://127.0.0.1:${port}`, received, close });
}
