/**
 * envoyproxy/ratelimit reads its xDS client certificate only when it starts, so a renewed one
 * reaches it only through a restart. The operator restarts its Deployment the way `kubectl rollout
 * restart` does — a pod-template annotation, here the serial number of the certificate in the
 * ratelimit Secret — whenever the two differ. The check is idempotent and stateless: any replica
 * may run it, after a renewal or a crash; the Deployment's rolling update (maxUnavailable 0) and
 * PodDisruptionBudget keep ratelimit serving.
 */
import { AppsV1Api, CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from '../log';
import { describeError } from '../kube/errors';
import { requestOptions } from '../kube/request';
import { certificateFacts } from './plan';

const CERTIFICATE_ANNOTATION = 'turnpike.dev/xds-tls-serial';

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

/**
 * With a certificate directory (cert-manager), the operator issues nothing: it reads the Secret
 * cert-manager keeps ratelimit's certificate in every `intervalMs` and restarts ratelimit when the
 * certificate there is not the one its pods were started with.
 */
export function watchRateLimitSecret(options: {
  readonly kubeConfig: KubeConfig; readonly namespace: string; readonly secret: string;
  readonly rollout: RateLimitRollout; readonly log: Logger; readonly intervalMs?: number;
}): { stop(): void } {
  const { namespace, secret, rollout, log } = options;
  const api = options.kubeConfig.makeApiClient(CoreV1Api);
  const check = async (): Promise<void> => {
    const data = (await api.readNamespacedSecret({ name: secret, namespace }, requestOptions(10_000))).data?.['tls.crt'];
    const serial = certificateFacts(data === undefined ? undefined : Buffer.from(data, 'base64').toString('utf8'))?.serial;
    if (serial !== undefined) await rollout.ensure(serial);
  };
  const run = (): void => {
    check().catch((err: unknown) => { log.warn('could not check ratelimit\'s xDS certificate; retrying', { secret, ...describeError(err) }); });
  };
  run();
  const timer = setInterval(run, options.intervalMs ?? 10_000);
  timer.unref();
  return { stop: () => { clearInterval(timer); } };
}
