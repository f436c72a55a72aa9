/**
 * Cluster mode's CA for mutual TLS on xDS. Every replica runs it: it reads the CA Secret (any
 * replica creates it when absent; the API server lets exactly one create win), issues its own
 * serving certificate in memory, and keeps the client Secrets of Envoy and ratelimit issued and
 * renewed. Writes carry the resourceVersion read, so replicas renewing at the same moment cannot
 * overwrite each other: the loser's 409 is ignored and it reads the winner's next time. Logs name
 * Secrets and dates, never keys.
 */
import { fleetUri, type RotatingServerTls } from '@turnpike/xds-server';
import { MANAGED_BY } from '../credentials/kube';
import type { Logger } from '../log';
import { createCa, issueLeaf, type CaPem, type Validity } from '../pki';
import { SECRETS, objectPath, type KubeClient, type Secret } from '../kube/client';
import { describeError, httpStatus } from '../kube/errors';
import type { XdsTlsSecretNames } from './names';
import type { RateLimitRollout } from './rollout';
import { certificateFacts, clientCertificateIssue, nextCheckDelay, serverCertificateDue, type CertificateFacts } from './plan';

const CA_VALIDITY_MS = 10 * 365 * 24 * 3600_000;
const RETRY_MS = 2_000;
const MAX_CHECK_MS = 60_000;

export interface XdsCaOptions {
  readonly kube: KubeClient;
  readonly namespace: string;
  readonly secrets: XdsTlsSecretNames;
  /** DNS names and IP addresses of the serving certificate: the name clients verify. */
  readonly serverNames: readonly string[];
  /** Validity of the serving and client certificates (renewed after two thirds of it). */
  readonly validityMs: number;
  readonly tls: RotatingServerTls;
  /** Restarts ratelimit when its certificate changed (it reads it only at start). */
  readonly rateLimitRollout?: RateLimitRollout;
  readonly log: Logger;
  readonly now?: () => number;
}

interface SecretData {
  readonly resourceVersion: string | undefined;
  readonly data: Readonly<Record<string, string>>;
}

const isIp = (name: string): boolean => /^[0-9.]+$/.test(name) || name.includes(':');

export class XdsCaController {
  readonly #kube: KubeClient;
  readonly #log: Logger;
  readonly #now: () => number;
  #server: CertificateFacts | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(private readonly options: XdsCaOptions) {
    this.#kube = options.kube;
    this.#log = options.log.child({ component: 'xds-tls' });
    this.#now = options.now ?? Date.now;
  }

  /** Resolves once the server has a certificate (retrying while the API server is unreachable). */
  async start(): Promise<void> {
    for (;;) {
      const delay = await this.#reconcile();
      if (this.#stopped) return;
      if (this.options.tls.current !== undefined) {
        this.#schedule(delay);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#reconcile().then((next) => { this.#schedule(next); }, () => undefined);
    }, delayMs);
    this.#timer.unref();
  }

  /** One pass; returns when to run the next. */
  async #reconcile(): Promise<number> {
    try {
      const ca = await this.#ca();
      this.#serve(ca);
      const clients = await Promise.all(this.options.secrets.clients.map((client) => this.#client(client.name, client.fleet, ca)));
      await this.#rollRateLimit(clients[this.options.secrets.clients.findIndex((c) => c.client === 'ratelimit')]?.serial);
      return nextCheckDelay([this.#server, ...clients], this.#now(), { minMs: 1_000, maxMs: MAX_CHECK_MS });
    } catch (err: unknown) {
      this.#log.warn('could not reconcile the xDS certificates; retrying', describeError(err));
      return RETRY_MS;
    }
  }

  /** A failed restart is retried at the next check and holds up nothing else. */
  async #rollRateLimit(serial: string | undefined): Promise<void> {
    if (serial === undefined || this.options.rateLimitRollout === undefined) return;
    try {
      await this.options.rateLimitRollout.ensure(serial);
    } catch (err: unknown) {
      this.#log.warn('could not restart ratelimit for its renewed xDS certificate; retrying', describeError(err));
    }
  }

  #validity(ms: number): Validity {
    const now = this.#now();
    // A little in the past, for clocks slightly behind ours.
    return { notBefore: new Date(now - Math.min(60_000, ms / 10)), notAfter: new Date(now + ms) };
  }

  async #ca(): Promise<CaPem> {
    const name = this.options.secrets.ca;
    const existing = await this.#read(name);
    const cert = existing?.data['tls.crt'];
    const key = existing?.data['tls.key'];
    if (existing !== undefined && (cert === undefined || key === undefined)) throw new Error(`Secret ${name} lacks tls.crt or tls.key: delete it to have a new CA created`);
    if (cert !== undefined && key !== undefined) {
      const facts = certificateFacts(cert);
      if (facts === undefined || facts.notAfter <= this.#now()) this.#log.error('the xDS CA certificate is unreadable or expired: delete the Secret to have a new CA created', { secret: name });
      return { cert, key };
    }
    const ca = createCa('Turnpike xDS CA', this.#validity(CA_VALIDITY_MS));
    try {
      await this.#write(name, undefined, { 'tls.crt': ca.cert, 'tls.key': ca.key });
      this.#log.info('created the xDS CA', { secret: name });
      return ca;
    } catch (err: unknown) {
      if (httpStatus(err) !== 409) throw err;
      // Another replica created it first: use theirs.
      return this.#ca();
    }
  }

  #serve(ca: CaPem): void {
    const current = this.options.tls.current;
    if (current !== undefined && current.ca === ca.cert && !serverCertificateDue(this.#server, ca.cert, this.#now())) return;
    const names = this.options.serverNames;
    const leaf = issueLeaf(ca, {
      commonName: names[0] ?? 'turnpike-xds', usage: 'server', validity: this.#validity(this.options.validityMs),
      dnsNames: names.filter((n) => !isIp(n)), ipAddresses: names.filter(isIp),
    });
    this.#server = certificateFacts(leaf.cert);
    this.options.tls.update({ cert: leaf.cert, key: leaf.key, ca: ca.cert });
    this.#log.info('serving xDS with a new certificate', { names, notAfter: new Date(this.#server?.notAfter ?? 0).toISOString() });
  }

  async #client(name: string, fleet: string, ca: CaPem): Promise<CertificateFacts | undefined> {
    const existing = await this.#read(name);
    const facts = certificateFacts(existing?.data['tls.crt']);
    const reason = clientCertificateIssue({ cert: facts, ca: existing?.data['ca.crt'] }, { fleet, caPem: ca.cert }, this.#now());
    if (reason === undefined) return facts;
    const leaf = issueLeaf(ca, { commonName: fleet, usage: 'client', validity: this.#validity(this.options.validityMs), uris: [fleetUri(fleet)] });
    try {
      await this.#write(name, existing, { 'tls.crt': leaf.cert, 'tls.key': leaf.key, 'ca.crt': ca.cert });
    } catch (err: unknown) {
      if (httpStatus(err) === 409) return undefined; // another replica renewed it; read again soon
      throw err;
    }
    const issued = certificateFacts(leaf.cert);
    this.#log.info('issued an xDS client certificate', { secret: name, fleet, reason, notAfter: new Date(issued?.notAfter ?? 0).toISOString() });
    return issued;
  }

  async #read(name: string): Promise<SecretData | undefined> {
    try {
      const secret = await this.#kube.get<Secret>(objectPath(SECRETS, this.options.namespace, name), { timeoutMs: 10_000 });
      const data: Record<string, string> = {};
      for (const [key, value] of Object.entries(secret.data ?? {})) data[key] = Buffer.from(value, 'base64').toString('utf8');
      return { resourceVersion: secret.metadata?.resourceVersion, data };
    } catch (err: unknown) {
      if (httpStatus(err) === 404) return undefined;
      throw err;
    }
  }

  /** Creates the Secret, or replaces the one read (its resourceVersion guards against a concurrent renewal). */
  async #write(name: string, existing: SecretData | undefined, data: Readonly<Record<string, string>>): Promise<void> {
    const { namespace } = this.options;
    const body: Secret = {
      apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls',
      metadata: { name, namespace, labels: { ...MANAGED_BY }, ...(existing?.resourceVersion === undefined ? {} : { resourceVersion: existing.resourceVersion }) },
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])),
    };
    if (existing === undefined) await this.#kube.create(objectPath(SECRETS, namespace), body, { timeoutMs: 10_000 });
    else await this.#kube.replace(objectPath(SECRETS, namespace, name), body, { timeoutMs: 10_000 });
  }
}
