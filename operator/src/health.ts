/**
 * Kubernetes probes and metrics for `turnpike operator --health-port N`:
 *   GET /healthz  200 while the process serves requests (liveness);
 *   GET /readyz   200 once the informers have synced and until shutdown begins, 503 otherwise
 *                 (readiness: the xDS Service only sends Envoys to replicas with a complete view);
 *   GET /metrics  the control plane's Prometheus metrics (metrics/registry.ts), when given;
 *   GET /status   the fleet and every object's conditions as JSON, for `turnpike status`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthServer {
  readonly port: number;
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

export interface HealthServerOptions {
  readonly host: string;
  readonly port: number;
  /** The Prometheus exposition served as /metrics; absent: /metrics is 404. */
  readonly metrics?: () => Promise<{ readonly contentType: string; readonly body: string }>;
  /** What `turnpike status` shows, served as JSON on /status (report/report.ts); absent: 404. */
  readonly status?: () => unknown;
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  let ready = false;
  const { metrics, status: report } = options;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics' && metrics !== undefined) {
      metrics().then(({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType, connection: 'close' });
        res.end(body);
      }, (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain', connection: 'close' });
        res.end(`metrics failed: ${String(err)}\n`);
      });
      return;
    }
    if (path === '/status' && report !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify(report()));
      return;
    }
    const status = path === '/healthz' ? 200 : path === '/readyz' ? (ready ? 200 : 503) : 404;
    res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' });
    res.end(status === 200 ? 'ok\n' : status === 503 ? 'not ready\n' : 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    setReady: (value) => { ready = value; },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => { resolve(); });
    }),
  };
}
