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
