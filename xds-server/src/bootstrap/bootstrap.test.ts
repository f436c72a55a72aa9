// The metrics listener in the real Envoy: Prometheus stats on the pod address, nothing else of the
// admin interface (its /config_dump holds App secrets).
import { envoyBootstrap } from './bootstrap';
import { freePort, startEnvoy, type EnvoyProcess } from '../ads/testing/envoy';
import { waitFor } from '../ads/testing/wait';

describe('envoyBootstrap metricsPort', () => {
  let envoy: EnvoyProcess;
  let metrics: number;

  beforeAll(async () => {
    metrics = await freePort();
    const bootstrap = envoyBootstrap({ nodeId: 'metrics', fleet: 'f', xdsHost: '127.0.0.1', xdsPort: await freePort(), adminPort: await freePort(), metricsPort: metrics });
    envoy = await startEnvoy(bootstrap, 'metrics-listener');
  }, 30_000);
  afterAll(async () => { await envoy.stop(); });

  const get = async (path: string, method = 'GET'): Promise<{ status: number; body: string }> => {
    const res = await fetch(`http://127.0.0.1:${metrics}${path}`, { method });
    return { status: res.status, body: await res.text() };
  };

  it('serves GET /stats/prometheus and refuses every other admin path and method', async () => {
    const stats = await waitFor(async () => {
      const reply = await get('/stats/prometheus').catch(() => undefined);
      return reply?.status === 200 ? reply : undefined;
      // Envoy opens listeners once its first xDS fetch gave up (no control plane here: 15 s).
    }, { what: 'the metrics listener', timeoutMs: 40_000 });
    expect(stats.body).toMatch(/^envoy_server_live\{\} 1$/m);
    for (const path of ['/config_dump', '/stats', '/quitquitquit', '/stats/prometheus/../config_dump', '/']) {
      expect({ path, status: (await get(path)).status }).toEqual({ path, status: 404 });
    }
    expect((await get('/stats/prometheus', 'POST')).status).toBe(404);
  }, 60_000);

  it('needs a fixed admin port to forward to', () => {
    expect(() => envoyBootstrap({ nodeId: 'n', fleet: 'f', xdsHost: 'h', xdsPort: 1, metricsPort: 9902 })).toThrow('metricsPort needs a fixed adminPort');
  });
});
