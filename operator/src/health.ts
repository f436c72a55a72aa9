/**
 * Kubernetes probes for `turnpike operator --health-port N`:
 *   GET /healthz  200 while the process serves requests (liveness);
 *   GET /readyz   200 once the informers have synced and until shutdown begins, 503 otherwise
 *                 (readiness: the xDS Service only sends Envoys to replicas with a complete view).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthServer {
  readonly port: number;
  setReady(ready: boolean): void;
  close(): Promise<void>;
}

export async function startHealthServer(options: { readonly host: string; readonly port: number }): Promise<HealthServer> {
  let ready = false;
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
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
