import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { binary } from './bins';
import { makePki, type Pki } from './certs';
import { freePort } from './ports';
import { startProcess, tail, type Proc } from './procs';
import { waitFor } from './wait';

/** A running etcd + kube-apiserver pair on loopback. */
export interface ControlPlane {
  readonly server: string;
  readonly kubeconfigPath: string;
  readonly dir: string;
  readonly pki: Pki;
  readonly procs: readonly Proc[];
  stop(): Promise<void>;
}

export interface ControlPlaneOptions {
  /** Working directory for data, certificates, logs and the kubeconfig. */
  readonly dir: string;
  /** Keep running after this Node process exits (`make cluster-up`). */
  readonly detached?: boolean;
}

async function startEtcd(dir: string, detached: boolean): Promise<{ proc: Proc; url: string }> {
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const proc = startProcess({
    name: 'etcd',
    command: binary('etcd'),
    args: [
      '--name', 'turnpike', '--data-dir', path.join(dir, 'etcd'),
      '--listen-client-urls', url, '--advertise-client-urls', url,
      '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl,
      '--initial-cluster', `turnpike=${peerUrl}`, '--unsafe-no-fsync', '--log-level', 'warn',
    ],
    logDir: path.join(dir, 'logs'),
    detached,
  });
  await waitFor(async () => proc.isRunning() && (await fetch(`${url}/health`)).ok, {
    what: `etcd on ${url} (log: ${proc.logFile})`,
  });
  return { proc, url };
}

function httpsOk(url: string, ca: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    https
      .get(url, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      })
      .on('error', () => {
        resolve(false);
      });
  });
}

function writeKubeconfig(file: string, server: string, pki: Pki): void {
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: turnpike',
    `  cluster: {server: "${server}", certificate-authority: "${pki.caCert}"}`,
    'users:',
    '- name: admin',
    `  user: {client-certificate: "${pki.adminCert}", client-key: "${pki.adminKey}"}`,
    'contexts:',
    '- name: turnpike',
    '  context: {cluster: turnpike, user: admin, namespace: default}',
    'current-context: turnpike',
    '',
  ].join('\n');
  fs.writeFileSync(file, kubeconfig, { mode: 0o600 });
}

/** Starts etcd and kube-apiserver with real RBAC and waits until /readyz answers. */
export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const { dir } = options;
  const detached = options.detached ?? false;
  fs.mkdirSync(dir, { recursive: true });
  const pki = makePki(path.join(dir, 'pki'));
  const etcd = await startEtcd(dir, detached);
  const port = await freePort();
  const server = `https://127.0.0.1:${port}`;
  const apiserver = startProcess({
    name: 'kube-apiserver',
    command: binary('kube-apiserver'),
    args: [
      `--etcd-servers=${etcd.url}`, '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1',
      `--secure-port=${port}`, `--tls-cert-file=${pki.serverCert}`, `--tls-private-key-file=${pki.serverKey}`,
      `--client-ca-file=${pki.caCert}`, '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.saPub}`, `--service-account-signing-key-file=${pki.saKey}`,
      '--service-cluster-ip-range=10.0.0.0/24', '--disable-admission-plugins=ServiceAccount',
      '--allow-privileged=true', `--cert-dir=${path.join(dir, 'certs')}`,
    ],
    logDir: path.join(dir, 'logs'),
    detached,
  });
  const ca = fs.readFileSync(pki.caCert);
  await waitFor(async () => {
    if (!apiserver.isRunning()) throw new Error(`kube-apiserver exited:\n${tail(apiserver.logFile, 15)}`);
    return httpsOk(`${server}/readyz`, ca);
  }, { what: `kube-apiserver on ${server} (log: ${apiserver.logFile})`, timeoutMs: 90_000, intervalMs: 250 });
  const kubeconfigPath = path.join(dir, 'kubeconfig');
  writeKubeconfig(kubeconfigPath, server, pki);
  const procs = [etcd.proc, apiserver];
  return {
    server,
    kubeconfigPath,
    dir,
    pki,
    procs,
    stop: async () => {
      await apiserver.stop();
      await etcd.proc.stop();
    },
  };
}
