import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Files of the throwaway PKI a local API server needs. */
export interface Pki {
  readonly caCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
  readonly saKey: string;
  readonly saPub: string;
}

function openssl(cwd: string, args: readonly string[]): void {
  execFileSync('openssl', [...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Creates a CA, a serving certificate for 127.0.0.1, an admin client certificate and SA keys. */
export function makePki(dir: string): Pki {
  fs.mkdirSync(dir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', '/CN=turnpike-test-ca']);
  const sign = (name: string, subject: string, ext?: string): void => {
    openssl(dir, ['req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
    const extArgs = ext === undefined ? [] : ['-extfile', ext];
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '3650', ...extArgs, '-out', `${name}.crt`]);
  };
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.0.0.1,DNS:kubernetes.default.svc\n');
  sign('apiserver', '/CN=kube-apiserver', 'san.ext');
  sign('admin', '/O=system:masters/CN=admin');
  openssl(dir, ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'sa.key']);
  openssl(dir, ['ec', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
  const at = (file: string): string => path.join(dir, file);
  return {
    caCert: at('ca.crt'),
    serverCert: at('apiserver.crt'),
    serverKey: at('apiserver.key'),
    adminCert: at('admin.crt'),
    adminKey: at('admin.key'),
    saKey: at('sa.key'),
    saPub: at('sa.pub'),
  };
}

/** A CA and a serving certificate for `hostnames` (PEM strings), for TLS tests of bound domains. */
export function makeServingCert(dir: string, hostnames: readonly string[]): { ca: string; cert: string; key: string } {
  fs.mkdirSync(dir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, ['req', '-x509', ...ec, '-keyout', 'domain-ca.key', '-out', 'domain-ca.crt', '-days', '30', '-subj', '/CN=turnpike-domain-ca']);
  openssl(dir, ['req', ...ec, '-keyout', 'domain.key', '-out', 'domain.csr', '-subj', `/CN=${hostnames[0] ?? 'localhost'}`]);
  fs.writeFileSync(path.join(dir, 'domain.ext'), `subjectAltName=${hostnames.map((h) => `DNS:${h}`).join(',')}\n`);
  openssl(dir, ['x509', '-req', '-in', 'domain.csr', '-CA', 'domain-ca.crt', '-CAkey', 'domain-ca.key', '-CAcreateserial', '-days', '30', '-extfile', 'domain.ext', '-out', 'domain.crt']);
  const read = (file: string): string => fs.readFileSync(path.join(dir, file), 'utf8');
  return { ca: read('domain-ca.crt'), cert: read('domain.crt'), key: read('domain.key') };
}
