/**
 * envoyproxy/ratelimit reads its xDS client certificate only when it starts, so a renewed one
 * reaches it only through a restart. The operator restarts its Deployment the way `kubectl rollout
 * restart` does — a pod-template annotation, here the serial number of the certificate in the
 * ratelimit Secret — whenever the two differ. The check is idempotent and stateless: any replica
 * may run it, after a renewal or a crash; the Deployment's rolling update (maxUnavailable 0) and
 * PodDisruptionBudget keep ratelimit serving.
 */
import { AppsV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../log';
import { requestOptions } from '../provider/informers-kube';

export const CERTIFICATE_ANNOTATION = 'turnpike.dev/xds-tls-serial';

export class RateLimitRollout {
  readonly #api: AppsV1Api;

  constructor(kubeConfig: KubeConfig, private readonly namespace: string, private readonly deployment: string, private readonly log: Logger) {
    this.#api = kubeConfig.makeApiClient(AppsV1Api);
  }

  /** Restarts the Deployment unless its pods already carry the certificate with `serial`. */
  async ensure(serial: string): Promise<void> {
    const { namespace, deployment: name } = this;
    const current = await this.#api.readNamespacedDeployment({ name, namespace }, requestOptions(10_000));
    if (current.spec?.template.metadata?.annotations?.[CERTIFICATE_ANNOTATION] === serial) return;
    const body = { spec: { template: { metadata: { annotations: { [CERTIFICATE_ANNOTATION]: serial } } } } };
    await this.#api.patchNamespacedDeployment({ name, namespace, body }, requestOptions(10_000, 'application/strategic-merge-patch+json'));
    this.log.info('restarting ratelimit to load its renewed xDS certificate', { deployment: `${namespace}/${name}`, serial });
  }
}
