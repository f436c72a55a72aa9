// The harness itself: every component it starts is real, becomes ready, and is reaped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  adminOnLoopback,
  freePort,
  isListening,
  kubectlOk,
  startEnvoy,
  startRedis,
  startTestCluster,
  type TestCluster,
} from '../../src/harness';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('harness', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-harness-'));
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('control plane', () => {
    let cluster: TestCluster | undefined;
    const kubeconfig = (): string => {
      if (cluster === undefined) throw new Error('cluster did not start');
      return cluster.kubeconfigPath;
    };
    beforeAll(async () => {
      cluster = await startTestCluster();
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it('serves the pinned Kubernetes version with the Turnpike CRDs established', async () => {
      const version = JSON.parse(await kubectlOk(kubeconfig(), ['version', '-o', 'json'])) as {
        serverVersion: { gitVersion: string };
      };
      const pinned = /KUBERNETES_VERSION=(\S+)/.exec(fs.readFileSync(path.join(__dirname, '../../../versions.env'), 'utf8'));
      expect(version.serverVersion.gitVersion).toBe(`v${pinned?.[1] ?? '?'}`);
      const crds = await kubectlOk(kubeconfig(), ['get', 'crd', '-o', 'name']);
      expect(crds.split('\n').filter((l) => l.endsWith('.turnpike.dev')).sort()).toEqual([
        'customresourcedefinition.apiextensions.k8s.io/aclpolicies.turnpike.dev',
        'customresourcedefinition.apiextensions.k8s.io/apigroups.turnpike.dev',
        'customresourcedefinition.apiextensions.k8s.io/apis.turnpike.dev',
        'customresourcedefinition.apiextensions.k8s.io/apps.turnpike.dev',
        'customresourcedefinition.apiextensions.k8s.io/signaturekeys.turnpike.dev',
        'customresourcedefinition.apiextensions.k8s.io/throttlepolicies.turnpike.dev',
      ]);
    });

    it('gives each suite its own namespace', async () => {
      if (cluster === undefined) throw new Error('cluster did not start');
      const a = await cluster.namespace('suite');
      const b = await cluster.namespace('suite');
      expect(a).not.toBe(b);
      await kubectlOk(kubeconfig(), ['get', 'namespace', a, b]);
    });

    it('stops etcd and the API server completely', async () => {
      const extra = await startTestCluster();
      const pids = extra.procs.map((p) => p.pid);
      expect(pids.every(alive)).toBe(true);
      await extra.stop();
      expect(pids.some(alive)).toBe(false);
    });
  });

  it('starts Envoy and reads its admin address', async () => {
    const port = await freePort();
    const envoy = await startEnvoy({
      dir,
      bootstrap: {
        admin: adminOnLoopback,
        static_resources: {
          listeners: [{
            name: 'hello',
            address: { socket_address: { address: '127.0.0.1', port_value: port } },
            filter_chains: [{
              filters: [{
                name: 'envoy.filters.network.http_connection_manager',
                typed_config: {
                  '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
                  stat_prefix: 'hello',
                  http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
                  route_config: { virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, direct_response: { status: 200, body: { inline_string: 'hello' } } }] }] },
                },
              }],
            }],
          }],
        },
      },
    });
    try {
      const ready = await fetch(`${envoy.admin}/ready`);
      expect(ready.status).toBe(200);
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(await res.text()).toBe('hello');
    } finally {
      await envoy.stop();
    }
    expect(alive(envoy.proc.pid)).toBe(false);
  });

  it('starts Redis on its own port', async () => {
    const redis = await startRedis(dir);
    expect(await isListening(redis.port)).toBe(true);
    await redis.stop();
    expect(await isListening(redis.port)).toBe(false);
  });
});
