// A real HTTP backend that answers every request with its name.
import * as http from 'node:http';

export interface HttpBackend {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startHttpBackend(name: string): Promise<HttpBackend> {
  const server = http.createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/plain' }).end(name); });
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => { resolve(); }); }),
  };
}

/**
 * GET without connection reuse (no keep-alive socket outlives the test): status and body, status 0
 * when the connection fails.
 */
export async function get(url: string, timeoutMs = 5_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }); });
      res.on('error', () => { resolve({ status: 0, body: '' }); });
    });
    req.on('timeout', () => { req.destroy(); });
    req.on('error', () => { resolve({ status: 0, body: '' }); });
  });
}
