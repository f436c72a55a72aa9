import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inCluster, KubeConfigError, loadKubeConnection } from './config';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeconfig-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

const write = (name: string, text: string, mode = 0o600): string => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text, { mode });
  return file;
};

const kubeconfig = (user: string, extra = ''): string => `apiVersion: v1
kind: Config
current-context: dev
contexts: [{name: dev, context: {cluster: local, user: me}}]
clusters: [{name: local, cluster: {server: "https://127.0.0.1:6443/", certificate-authority: ca.crt${extra}}}]
users: [{name: me, user: ${user}}]
`;

describe('loadKubeConnection', () => {
  it('reads the current context: server, CA and client certificate files relative to the kubeconfig', async () => {
    write('ca.crt', 'CA PEM');
    write('me.crt', 'CERT PEM');
    write('me.key', 'KEY PEM');
    const connection = loadKubeConnection(write('config', kubeconfig('{client-certificate: me.crt, client-key: me.key}', ', tls-server-name: api.internal')));
    expect(connection).toMatchObject({ server: 'https://127.0.0.1:6443', ca: 'CA PEM', insecureSkipTlsVerify: false, tlsServerName: 'api.internal' });
    expect(await connection.credentials()).toEqual({ cert: 'CERT PEM', key: 'KEY PEM' });
    expect(connection.description).toContain('context "dev"');
  });

  it('merges colon-separated files, the first one naming a thing winning, and reads inline data and tokens', async () => {
    const first = write('a', 'current-context: dev\ncontexts: [{name: dev, context: {cluster: local, user: me}}]\n');
    const second = write('b', `current-context: other
clusters: [{name: local, cluster: {server: "http://localhost:8080", certificate-authority-data: ${Buffer.from('INLINE CA').toString('base64')}}}]
users: [{name: me, user: {token: abc}}]
`);
    const connection = loadKubeConnection(`${first}${path.delimiter}${second}`);
    expect(connection).toMatchObject({ server: 'http://localhost:8080', ca: 'INLINE CA' });
    expect(await connection.credentials()).toEqual({ token: 'abc' });
  });

  it('reads a token file', async () => {
    write('ca.crt', 'CA');
    write('token', 'from-file\n');
    const connection = loadKubeConnection(write('config', kubeconfig('{tokenFile: token}')));
    expect(await connection.credentials()).toEqual({ token: 'from-file' });
  });

  it('runs an exec credential plugin with its env and keeps its answer until it expires', async () => {
    write('ca.crt', 'CA');
    const count = path.join(dir, 'count');
    const expires = new Date(Date.now() + 3_600_000).toISOString();
    const plugin = write('plugin.sh', `#!/bin/sh
echo run >> "${count}"
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s-%s","expirationTimestamp":"${expires}"}}' "$GREETING" "$(echo "$KUBERNETES_EXEC_INFO" | grep -c ExecCredential)"
`, 0o700);
    const connection = loadKubeConnection(write('config', kubeconfig(`{exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, env: [{name: GREETING, value: hi}]}}`)));
    expect(await connection.credentials()).toEqual({ token: 'hi-1' });
    expect(await connection.credentials()).toEqual({ token: 'hi-1' });
    expect(fs.readFileSync(count, 'utf8')).toBe('run\n');
  });

  it('reports a failing exec plugin without its output', async () => {
    write('ca.crt', 'CA');
    const plugin = write('plugin.sh', '#!/bin/sh\necho secret-token-in-output >&2\nexit 3\n', 0o700);
    const connection = loadKubeConnection(write('config', kubeconfig(`{exec: {command: ${plugin}}}`)));
    const failure = connection.credentials();
    await expect(failure).rejects.toThrow(KubeConfigError);
    await expect(failure).rejects.not.toThrow(/secret-token/);
  });

  it('refuses what it cannot use with a message naming it', () => {
    write('ca.crt', 'CA');
    expect(() => loadKubeConnection(write('none', 'clusters: []\n'))).toThrow(/no current-context/);
    expect(() => loadKubeConnection(write('ctx', 'current-context: x\n'))).toThrow(/context "x" is not defined/);
    expect(() => loadKubeConnection(write('gcp', kubeconfig('{auth-provider: {name: gcp}}')))).toThrow(/auth-provider is not supported/);
    expect(() => loadKubeConnection(write('half', kubeconfig('{client-certificate-data: eA==}')))).toThrow(/needs its key/);
    expect(() => loadKubeConnection(path.join(dir, 'missing'))).toThrow(KubeConfigError);
  });
});

describe('inCluster', () => {
  it("uses the service account's token and CA, and brackets an IPv6 service host", async () => {
    write('token', 'sa-token');
    write('ca.crt', 'SA CA');
    const connection = inCluster({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '6443' }, dir);
    expect(connection).toMatchObject({ server: 'https://[fd00::1]:6443', ca: 'SA CA' });
    expect(await connection.credentials()).toEqual({ token: 'sa-token' });
  });
});
