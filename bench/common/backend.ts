/**
 * The benchmarks' backend: an Envoy of its own answering every request 200 with a small body
 * (a direct response), like Envoy's own load-test server. The gateway's latency is what the
 * benchmarks compare, so the backend must not add stalls of its own: a Node echo server's garbage
 * collection paused it for milliseconds at a time, which decided the p99 of whichever Api was
 * being measured.
 */
import { adminOnLoopback, freePort, startEnvoy, type Envoy } from '@turnpike/e2e';

export interface Backend {
  readonly port: number;
  /** Its process, for CPU accounting. */
  readonly pid: number;
  stop(): Promise<void>;
}

const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';

function bootstrap(port: number): Record<string, unknown> {
  const route = { match: { prefix: '/' }, direct_response: { status: 200, body: { inline_string: '{"backend":"bench"}' } } };
  const manager = {
    '@type': HCM,
    stat_prefix: 'backend',
    route_config: { virtual_hosts: [{ name: 'all', domains: ['*'], routes: [route] }] },
    http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
  };
  const listener = {
    name: 'backend',
    address: { socket_address: { address: '127.0.0.1', port_value: port } },
    filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: manager }] }],
  };
  return { admin: adminOnLoopback, static_resources: { listeners: [listener] } };
}

export async function startBackend(dir: string): Promise<Backend> {
  const port = await freePort();
  const envoy: Envoy = await startEnvoy({ bootstrap: bootstrap(port), dir, name: 'bench-backend' });
  return { port, pid: envoy.proc.pid, stop: () => envoy.stop() };
}
