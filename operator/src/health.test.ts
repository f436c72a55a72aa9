import { loadConfig, type Config } from './config';
import { startHealthServer, type HealthServer } from './health';

/** Operator mode serving xDS on loopback, where plaintext is allowed. */
const operatorConfig = (argv: readonly string[], env: NodeJS.ProcessEnv): Config => loadConfig('operator', ['--xds-host', '127.0.0.1', ...argv], env);

describe('health server', () => {
  let health: HealthServer;
  const get = async (path: string): Promise<number> => (await fetch(`http://127.0.0.1:${health.port}${path}`)).status;

  beforeAll(async () => { health = await startHealthServer({ host: '127.0.0.1', port: 0 }); });
  afterAll(async () => { await health.close(); });

  it('is live at once and ready only while told so', async () => {
    expect(await get('/healthz')).toBe(200);
    expect(await get('/readyz')).toBe(503);
    health.setReady(true);
    expect(await get('/readyz')).toBe(200);
    expect(await get('/readyz?verbose')).toBe(200);
    health.setReady(false);
    expect(await get('/readyz')).toBe(503);
    expect(await get('/metrics')).toBe(404);
  });
});

describe('/metrics', () => {
  it('serves the exposition it is given, with its content type', async () => {
    const health = await startHealthServer({ host: '127.0.0.1', port: 0, metrics: () => Promise.resolve({ contentType: 'text/plain; version=0.0.4', body: 'turnpike_leader 1\n' }) });
    try {
      const res = await fetch(`http://127.0.0.1:${health.port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4');
      expect(await res.text()).toBe('turnpike_leader 1\n');
    } finally {
      await health.close();
    }
  });
});

describe('--health-port', () => {
  it('is off unless set, by flag or TURNPIKE_HEALTH_PORT', () => {
    expect(operatorConfig([], {}).mode).not.toHaveProperty('healthPort');
    expect(operatorConfig(['--health-port', '8081'], {}).mode).toMatchObject({ healthPort: 8081 });
    expect(operatorConfig([], { TURNPIKE_HEALTH_PORT: '9000' }).mode).toMatchObject({ healthPort: 9000 });
    expect(() => operatorConfig(['--health-port', 'x'], {})).toThrow('--health-port: x is not a port number');
    expect(loadConfig('standalone', ['-f', 'dir', '--health-port', '8081'], {}).mode).toMatchObject({ healthPort: 8081 });
  });
});
