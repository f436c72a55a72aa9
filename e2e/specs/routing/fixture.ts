// One gateway for a routing spec: test cluster, `turnpike operator` process, Envoy, echo backends.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEchoServer, type EchoServer } from '@turnpike/operator';
import {
  call, kubectl, kubectlOk, startGatewayEnvoy, startOperator, startTestCluster, waitFor,
  type Envoy, type HttpCall, type HttpReply, type TestCluster, type TurnpikeProcess,
} from '../../src';

export interface Gateway {
  readonly cluster: TestCluster;
  readonly namespace: string;
  readonly operator: TurnpikeProcess;
  readonly envoy: Envoy;
  readonly dir: string;
  readonly backends: { readonly release: EchoServer; readonly dev: EchoServer };
  apply(yaml: string): Promise<void>;
  /** Stops the operator and starts a new one on the same ports (Envoy reconnects to it). */
  restartOperator(): Promise<void>;
  remove(kind: string, name: string): Promise<void>;
  /** A request through Envoy's HTTP listener, or its HTTPS one when `tls` is given. */
  request(options: Omit<HttpCall, 'port'>): Promise<HttpReply>;
  /** Polls until `check` passes for a reply (returns it), within `timeoutMs`. */
  until(options: Omit<HttpCall, 'port'>, check: (reply: HttpReply) => boolean, timeoutMs?: number): Promise<HttpReply>;
  condition(kind: string, name: string, type: string): Promise<{ status: string; reason: string; message: string } | undefined>;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** More `turnpike operator` flags (e.g. --ratelimit-address), kept across restartOperator(). */
  readonly operatorArgs?: readonly string[];
}

export async function startGateway(prefix: string, options: GatewayOptions = {}): Promise<Gateway> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `turnpike-${prefix}-`));
  const cluster = await startTestCluster();
  const namespace = await cluster.namespace(prefix);
  const extraArgs = options.operatorArgs ?? [];
  let operator = await startOperator({ kubeconfigPath: cluster.kubeconfigPath, dir, extraArgs });
  const envoy = await startGatewayEnvoy({ dir, xdsPort: operator.xdsPort });
  const backends = { release: await startEchoServer({ name: 'release' }), dev: await startEchoServer({ name: 'dev' }) };
  const kubeconfig = cluster.kubeconfigPath;
  const request = (options: Omit<HttpCall, 'port'>): Promise<HttpReply> =>
    call({ ...options, port: options.tls === undefined ? operator.httpPort : operator.httpsPort });
  return {
    cluster, namespace, envoy, dir, backends, request,
    get operator() { return operator; },
    restartOperator: async () => {
      const ports = { xds: operator.xdsPort, http: operator.httpPort, https: operator.httpsPort };
      await operator.stop();
      operator = await startOperator({ kubeconfigPath: kubeconfig, dir, ports, extraArgs });
    },
    apply: async (yaml) => { await kubectlOk(kubeconfig, ['apply', '-n', namespace, '-f', '-'], yaml); },
    remove: async (kind, name) => { await kubectlOk(kubeconfig, ['delete', '-n', namespace, kind, name]); },
    until: (options, check, timeoutMs = 15_000) =>
      waitFor(async () => {
        const reply = await request(options);
        return check(reply) ? reply : undefined;
      }, { what: `${options.method ?? 'GET'} ${options.host}${options.path} to pass its check`, timeoutMs, intervalMs: 50 }),
    condition: async (kind, name, type) => {
      const result = await kubectl(kubeconfig, ['get', '-n', namespace, kind, name, '-o', `jsonpath={.status.conditions[?(@.type=="${type}")]}`]);
      return result.code === 0 && result.stdout !== '' ? (JSON.parse(result.stdout) as { status: string; reason: string; message: string }) : undefined;
    },
    stop: async () => {
      await envoy.stop();
      await operator.stop();
      await backends.release.close();
      await backends.dev.close();
      await cluster.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The default subdomain of a group in the gateway's namespace. */
export function hostOf(gateway: Gateway, group: string): string {
  return `${group}.${gateway.namespace}.apigw.localhost`;
}

/** An ApiGroup whose RELEASE and DEV variables point #port# at the two echo backends. */
export function groupYaml(gateway: Gateway, name: string, extra = ''): string {
  return `---
apiVersion: turnpike.dev/v1alpha1
kind: ApiGroup
metadata: {name: ${name}}
spec:
  environments:
    - {name: RELEASE, variables: {port: "${gateway.backends.release.port}", version: v1}}
    - {name: DEV, variables: {port: "${gateway.backends.dev.port}", version: v2}}
${extra}
`;
}
