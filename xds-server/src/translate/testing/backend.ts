// A loopback echo backend: answers JSON {method, url, headers}; paths containing "slow" answer
// after 2 s (longer than the routes' timeouts in tests); it sets x-turnpike-leak (must never reach
// callers) and, on paths containing "own-cors", its own Access-Control-Allow-Origin.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Backend {
  readonly port: number;
  close(): Promise<void>;
}

export async function startBackend(): Promise<Backend> {
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const answer = (): void => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('x-turnpike-leak', 'internal');
      if (req.url?.includes('own-cors') === true) res.setHeader('access-control-allow-origin', 'https://backend.example');
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
    };
    if (req.url?.includes('slow') !== true) { answer(); return; }
    const timer = setTimeout(() => { timers.delete(timer); answer(); }, 2000);
    timers.add(timer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    },
  };
}
