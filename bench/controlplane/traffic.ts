/**
 * Requests through Envoy's HTTP listener on keep-alive connections, the way real callers (and
 * their connection pools) behave; a fresh connection per request would also exhaust ephemeral
 * ports when polling every few ms for minutes.
 */
import http from 'node:http';

export interface Reply {
  readonly status: number;
  readonly body: string;
}

export class EnvoyClient {
  readonly #agent: http.Agent;

  constructor(private readonly port: number, maxSockets = 8) {
    this.#agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  get(host: string, path: string, timeoutMs = 5_000): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: this.port, path, method: 'GET', headers: { host }, agent: this.#agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }); });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`GET ${host}${path} timed out`)));
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
