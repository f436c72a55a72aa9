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
  close(): Promise<void>;
}

export interface EchoOptions {
  readonly port?: number;
  readonly host?: string;
  /** Included in every reply, to tell several backends apart. */
  readonly name?: string;
}

export async function startEchoServer(options: EchoOptions = {}): Promise<EchoServer> {
  const received: EchoReply[] = [];
  const name = options.name ?? 'echo';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const [path = '/', query = ''] = (req.url ?? '/').split(/\?(.*)/s);
      const reply: EchoReply = {
        backend: name,
        method: req.method ?? 'GET',
        path,
        query,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(reply);
      // /status/<code> lets tests ask for a given status; /delay is left to the harness.
      const status = /^\/status\/(\d{3})$/.exec(path)?.[1];
      res.writeHead(status === undefined ? 200 : Number(status), { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply));
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
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
