// authz's ADS client against the real xds-server (AdsServer + SnapshotCache) on loopback.
import { AdsServer, authzFleet, SecretValue, SnapshotCache, translateAuthz, type AppIR, type AuthzResources } from '@turnpike/xds-server';
import { AdsClient } from './ads-client';
import type { AuthzConfig } from './model';

const FLEET = authzFleet('test');
const silent = { info: (): void => undefined, warn: (): void => undefined };

function app(secret: string): AppIR {
  return {
    source: { kind: 'App', namespace: 'team', name: 'client' }, appKey: 'client-key-0001', appSecret: new SecretValue(secret), appCodes: [],
    grants: [{ kind: 'Api', target: { kind: 'Api', namespace: 'team', name: 'orders' }, environments: ['RELEASE'] }],
  };
}

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('AdsClient', () => {
  let cache: SnapshotCache;
  let server: AdsServer;
  let client: AdsClient | undefined;
  let configs: AuthzConfig[];

  const start = async (port = 0): Promise<number> => {
    server = new AdsServer({ cache });
    return server.listen(`127.0.0.1:${port}`);
  };
  const connect = (port: number): AdsClient => {
    const c = new AdsClient({ address: `127.0.0.1:${port}`, nodeId: 'authz-1', fleet: FLEET, log: silent, onConfig: (config) => configs.push(config), backoffMs: { initial: 20, max: 100 } });
    c.start();
    return c;
  };

  beforeEach(() => {
    cache = new SnapshotCache();
    configs = [];
  });
  afterEach(async () => {
    client?.stop();
    await server.close();
  });

  it('receives Apps, follows a secret reset, and ACKs so the server sees the version applied', async () => {
    cache.set(FLEET, translateAuthz({ apps: [app('first-secret')], signatureKeys: [] }));
    const port = await start();
    client = connect(port);
    const first = await until(() => (client?.synced === true ? configs.at(-1) : undefined), 'the first configuration');
    expect(first.appByKey('client-key-0001')?.appSecret.reveal()).toBe('first-secret');
    expect(first.appByKey('client-key-0001')?.grants[0]?.environments.has('RELEASE')).toBe(true);
    cache.set(FLEET, translateAuthz({ apps: [app('reset-secret')], signatureKeys: [] }));
    await until(() => (configs.at(-1)?.appByKey('client-key-0001')?.appSecret.reveal() === 'reset-secret' ? true : undefined), 'the reset secret');
    const snapshot = cache.get(FLEET);
    const acked = await until(() => {
      const node = server.tracker.list(FLEET)[0];
      const state = node?.types.get('type.googleapis.com/turnpike.authz.v1.App');
      return state?.acked?.version === snapshot?.types.get('type.googleapis.com/turnpike.authz.v1.App')?.version ? state : undefined;
    }, 'the ACK');
    expect(acked.nacked).toBeUndefined();
  });

  it('NACKs a malformed App and keeps the configuration it has', async () => {
    cache.set(FLEET, translateAuthz({ apps: [app('good')], signatureKeys: [] }));
    const port = await start();
    client = connect(port);
    await until(() => (client?.synced === true ? true : undefined), 'sync');
    const broken: AuthzResources = new Map([
      ['type.googleapis.com/turnpike.authz.v1.App', new Map([['team/client', { name: 'team/client', app_key: '', app_secret: 'x' }]])],
    ]);
    cache.set(FLEET, broken);
    const nack = await until(() => server.tracker.list(FLEET)[0]?.types.get('type.googleapis.com/turnpike.authz.v1.App')?.nacked, 'the NACK');
    expect(nack.errorMessage).toContain('name and app_key are required');
    expect(configs.at(-1)?.appByKey('client-key-0001')?.appSecret.reveal()).toBe('good');
  });

  it('keeps serving the last configuration while xds-server is away, and reconnects', async () => {
    cache.set(FLEET, translateAuthz({ apps: [app('before')], signatureKeys: [] }));
    const port = await start();
    client = connect(port);
    await until(() => (client?.synced === true ? true : undefined), 'sync');
    await server.close();
    cache.set(FLEET, translateAuthz({ apps: [app('after-restart')], signatureKeys: [] }));
    expect(configs.at(-1)?.appByKey('client-key-0001')?.appSecret.reveal()).toBe('before');
    await start(port);
    await until(() => (configs.at(-1)?.appByKey('client-key-0001')?.appSecret.reveal() === 'after-restart' ? true : undefined), 'the configuration after reconnecting');
  });
});
