/**
 * The certificate authority code Turnpike runs itself: standalone mode's local CA for the default
 * subdomains (standalone-tls.ts) and the operator's CA for mutual TLS on xDS (xds-tls/). RSA 2048
 * keys from Node's crypto, certificates built and signed with node-forge, everything PEM.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

export interface KeyPair {
  readonly pem: string;
  readonly forgeKey: forge.pki.rsa.PrivateKey;
  readonly publicKey: forge.pki.rsa.PublicKey;
}

function pairOf(privateKey: crypto.KeyObject): KeyPair {
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem);
  return { pem, forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

export function keyPair(): KeyPair {
  return pairOf(crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
}

/** A key pair generated in libuv's thread pool, while the main thread does other work. */
export async function keyPairInBackground(): Promise<KeyPair> {
  const { privateKey } = await promisify(crypto.generateKeyPair)('rsa', { modulusLength: 2048 });
  return pairOf(privateKey);
}

export interface Validity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** An unsigned certificate: subject CN, validity and extensions. */
function certificate(subject: string, publicKey: forge.pki.rsa.PublicKey, validity: Validity, extensions: object[]): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${crypto.randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = validity.notBefore;
  cert.validity.notAfter = validity.notAfter;
  cert.setSubject([{ name: 'commonName', value: subject }]);
  cert.setExtensions(extensions);
  return cert;
}

export interface CaPem {
  readonly cert: string;
  readonly key: string;
}

/** A self-signed CA certificate and its key. */
export function createCa(commonName: string, validity: Validity, pair: KeyPair = keyPair()): CaPem {
  const cert = certificate(commonName, pair.publicKey, validity, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  cert.setIssuer(cert.subject.attributes);
  cert.sign(pair.forgeKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: pair.pem };
}

export interface LeafRequest {
  readonly commonName: string;
  readonly usage: 'server' | 'client';
  readonly validity: Validity;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly uris?: readonly string[];
}

/** A certificate signed by `ca`: PEM of the certificate alone and of its key. */
export function issueLeaf(ca: CaPem, request: LeafRequest, pair: KeyPair = keyPair()): { readonly cert: string; readonly key: string } {
  const altNames = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(request.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
    ...(request.uris ?? []).map((value) => ({ type: 6, value })),
  ];
  const cert = certificate(request.commonName, pair.publicKey, request.validity, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: request.usage === 'server', clientAuth: request.usage === 'client' },
    ...(altNames.length === 0 ? [] : [{ name: 'subjectAltName', altNames }]),
  ]);
  const caCert = forge.pki.certificateFromPem(ca.cert);
  cert.setIssuer(caCert.subject.attributes);
  cert.sign(forge.pki.privateKeyFromPem(ca.key), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: pair.pem };
}
