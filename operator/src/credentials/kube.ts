/**
 * Cluster mode's credentials controller: creates the Secrets planGeneratedSecrets asks for
 * (`<app>-credentials`, `<key>-signature`), owned by their App or SignatureKey so they go with it,
 * and fills in keys missing from them. Only the leader writes, so replicas do not race with
 * different random values; a 409 (another writer was first) is fine: the informers deliver what
 * won. The new Secret reaches the pipeline through the informers like any other change. Logs
 * name Secrets and keys, never values.
 */
import { API_VERSION } from '../api';
import type { Logger } from '../log';
import { SECRETS, objectPath, type KubeClient, type Secret } from '../kube/client';
import { describeError, httpStatus } from '../kube/errors';
import type { ResourceSet } from '../resources/resourceset';
import { randomCredentials } from './generate';
import { planGeneratedSecrets, type CredentialGenerator, type SecretPlan } from './plan';

const RETRY_MS = 5_000;

export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'turnpike' } as const;

export interface CredentialsControllerOptions {
  readonly kube: KubeClient;
  readonly log: Logger;
  readonly generate?: CredentialGenerator;
  readonly timeoutMs?: number;
}

export class CredentialsController {
  readonly #kube: KubeClient;
  readonly #log: Logger;
  readonly #inFlight = new Set<string>();
  #leading = false;
  #last: ResourceSet | undefined;

  constructor(private readonly options: CredentialsControllerOptions) {
    this.#kube = options.kube;
    this.#log = options.log.child({ component: 'credentials' });
  }

  setLeader(leading: boolean): void {
    this.#leading = leading;
    if (leading && this.#last !== undefined) this.observe(this.#last);
  }

  /** The informers' latest set: plans and starts the writes it needs (never awaited by the caller). */
  observe(set: ResourceSet): void {
    this.#last = set;
    if (!this.#leading) return;
    for (const plan of planGeneratedSecrets(set, this.options.generate ?? randomCredentials)) {
      const key = `${plan.namespace}/${plan.name}`;
      if (this.#inFlight.has(key)) continue;
      this.#inFlight.add(key);
      this.#write(plan).finally(() => { this.#inFlight.delete(key); }).catch(() => undefined);
    }
  }

  async #write(plan: SecretPlan): Promise<void> {
    const fields = { object: `Secret/${plan.namespace}/${plan.name}`, owner: `${plan.owner.kind}/${plan.owner.name}`, keys: Object.keys(plan.values) };
    try {
      if (plan.action === 'create') await this.#create(plan);
      else await this.#complete(plan);
      this.#log.info(plan.action === 'create' ? 'generated credentials Secret' : 'filled in missing credentials', fields);
    } catch (err: unknown) {
      if (httpStatus(err) === 409) return;
      this.#log.warn('could not write generated credentials; retrying', { ...fields, ...describeError(err) });
      setTimeout(() => { if (this.#last !== undefined) this.observe(this.#last); }, RETRY_MS).unref();
    }
  }

  async #create(plan: SecretPlan): Promise<void> {
    const owner = plan.owner.uid === undefined ? [] : [{ apiVersion: API_VERSION, kind: plan.owner.kind, name: plan.owner.name, uid: plan.owner.uid, controller: true }];
    const body: Secret = {
      apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
      metadata: { name: plan.name, namespace: plan.namespace, labels: { ...MANAGED_BY }, ownerReferences: owner },
      stringData: { ...plan.values },
    };
    await this.#kube.create(objectPath(SECRETS, plan.namespace), body, { timeoutMs: this.options.timeoutMs ?? 10_000 });
  }

  async #complete(plan: SecretPlan): Promise<void> {
    const options = { timeoutMs: this.options.timeoutMs ?? 10_000 };
    const path = objectPath(SECRETS, plan.namespace, plan.name);
    const current = await this.#kube.get<Secret>(path, options);
    const data = { ...current.data };
    for (const [key, value] of Object.entries(plan.values)) {
      if (data[key] === undefined) data[key] = Buffer.from(value, 'utf8').toString('base64');
    }
    // resourceVersion from the read: a concurrent edit makes this a 409 and the next change retries.
    await this.#kube.replace(path, { ...current, data }, options);
  }
}
