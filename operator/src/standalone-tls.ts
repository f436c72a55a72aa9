/**
 * Standalone mode's certificate for the default subdomains, so they answer over HTTPS (AppCode is
 * HTTPS only), like Huawei's debugging domain. A local CA kept in `<state-dir>/tls` (`ca.crt` to
 * trust, `ca.key` mode 0600) signs a certificate for `*.<namespace>.<base domain>` of every
 * namespace that has an ApiGroup; it is issued again, by the same CA, when that set changes. The
 * pipeline gets it as the kubernetes.io/tls Secret `--subdomain-tls-secret` names.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from './log';
import { createCa, issueLeaf, keyPair, keyPairInBackground, type CaPem, type KeyPair, type Validity } from './pki';
import { objectKey, type KubeObject, type ResourceSet } from './resources/resourceset';

/** The Secret standalone mode serves the subdomains with (config.ts points --subdomain-tls-secret at it). */
export const STANDALONE_SUBDOMAIN_TLS = { namespace: 'turnpike-system', name: 'turnpike-subdomain-tls' } as const;

const DAY_MS = 24 * 60 * 60 * 1000;

interface Pem { readonly cert: string; readonly key: string }

function days(n: number): Validity {
  return { notBefore: new Date(Date.now() - DAY_MS), notAfter: new Date(Date.now() + n * DAY_MS) };
}

const caFiles = (dir: string): { readonly certFile: string; readonly keyFile: string } => ({ certFile: path.join(dir, 'ca.crt'), keyFile: path.join(dir, 'ca.key') });

/** The CA of this state directory: read, or created once (with `caPair` when given). */
function localCa(dir: string, caPair: () => KeyPair = keyPair): CaPem {
  const { certFile, keyFile } = caFiles(dir);
  if (!fs.existsSync(certFile) || !fs.existsSync(keyFile)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const ca = createCa('Turnpike standalone local CA', days(3650), caPair());
    fs.writeFileSync(keyFile, ca.key, { mode: 0o600 });
    fs.writeFileSync(certFile, ca.cert);
  }
  return { cert: fs.readFileSync(certFile, 'utf8'), key: fs.readFileSync(keyFile, 'utf8') };
}

function issue(ca: CaPem, names: readonly string[], pair: KeyPair = keyPair()): Pem {
  const leaf = issueLeaf(ca, { commonName: names[0] ?? 'turnpike', usage: 'server', validity: days(397), dnsNames: names }, pair);
  return { cert: `${leaf.cert}${ca.cert}`, key: leaf.key };
}

export class StandaloneSubdomainTls {
  readonly #dir: string;
  #issued: { readonly names: string; readonly secret: KubeObject } | undefined;
  /** Keys generated ahead by prepare(), each used once. */
  #ahead: { ca?: KeyPair; leaf?: KeyPair } = {};
  /** The last input's ApiGroups and Secrets, and the Secrets given for them. */
  #last: { readonly groups: unknown; readonly given: unknown; readonly secrets: ReadonlyMap<string, KubeObject> } | undefined;

  constructor(stateDir: string, private readonly baseDomain: string, private readonly log: Logger) {
    this.#dir = path.join(stateDir, 'tls');
  }

  /**
   * Generates the first certificate's key (and the CA's, on a new state directory) in the
   * background, so the first apply() only signs: RSA key generation is the slow part of issuing.
   */
  async prepare(): Promise<void> {
    const { certFile, keyFile } = caFiles(this.#dir);
    const [ca, leaf] = await Promise.all([fs.existsSync(certFile) && fs.existsSync(keyFile) ? undefined : keyPairInBackground(), keyPairInBackground()]);
    this.#ahead = { ...(ca === undefined ? {} : { ca }), leaf };
  }

  /** The CA certificate callers trust (`curl --cacert`). */
  get caFile(): string {
    return path.join(this.#dir, 'ca.crt');
  }

  /** `set` with the subdomains' Secret, issued for the namespaces of its ApiGroups (reused while neither changed). */
  apply(set: ResourceSet): ResourceSet {
    const last = this.#last;
    if (last?.groups === set.ApiGroup && last.given === set.Secret) return { ...set, Secret: last.secrets };
    const namespaces = [...new Set([...set.ApiGroup.values()].map((g) => g.metadata.namespace ?? 'default'))].sort();
    const names = namespaces.map((ns) => `*.${ns}.${this.baseDomain}`).join(',');
    if (names === '') return set;
    const { namespace, name } = STANDALONE_SUBDOMAIN_TLS;
    let issued = this.#issued;
    if (issued?.names !== names) {
      const { ca, leaf } = this.#ahead;
      this.#ahead = {};
      const pem = issue(localCa(this.#dir, ca === undefined ? keyPair : () => ca), names.split(','), leaf ?? keyPair());
      issued = { names, secret: { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { namespace, name }, stringData: { 'tls.crt': pem.cert, 'tls.key': pem.key } } };
      this.#issued = issued;
      this.log.info('issued the default subdomains\' certificate', { names, ca: this.caFile });
    }
    const secrets = new Map([...set.Secret, [objectKey(namespace, name), issued.secret]]);
    this.#last = { groups: set.ApiGroup, given: set.Secret, secrets };
    return { ...set, Secret: secrets };
  }
}
