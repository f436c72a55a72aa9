/**
 * envoyproxy/ratelimit reads its xDS client certificate only when it starts, so a renewed one
 * reaches it only through a restart. The operator restarts its Deployment the way `kubectl rollout
 * restart` does — a pod-template annotation, here the serial number of the certificate in the
 * ratelimit Secret — whenever the two differ. The check is idempotent and stateless: any replica
 * may run it, after a renewal or a crash; the Deployment's rolling update (maxUnavailable 0) and
 * PodDisruptionBudget keep ratelimit serving.
 */
import type { Logger } from '../log';
import { DEPLOYMENTS, SECRETS, objectPath, type KubeClient, type Secret } from '../kube/client';
import { describeError } from '../kube/errors';
import { certificateFacts } from './plan';

const CERTIFICATE_ANNOTATION = 'turnpike.dev/xds-tls-serial';

/** The one field of an apps/v1 Deployment the rollout reads. */
interface Deployment {
  readonly spec?: { readonly template?: { readonly metadata?: { readonly annotations?: Readonly<Record<string, string>> } } };
}

export class RateLimitRollout {
  constructor(private readonly kube: KubeClient, private readonly namespace: string, private readonly deployment: string, private readonly log: Logger) {}

  /** Restarts the Deployment unless its pods already carry the certificate with `serial`. */
  async ensure(serial: string): Promise<void> {
    const { namespace, deployment: name } = this;
    const path = objectPath(DEPLOYMENTS, namespace, name);
    const current = await this.kube.get<Deployment>(path, { timeoutMs: 10_000 });
    if (current.spec?.template?.metadata?.annotations?.[CERTIFICATE_ANNOTATION] === serial) return;
    const body = { spec: { template: { metadata: { annotations: { [CERTIFICATE_ANNOTATION]: serial } } } } };
    await this.kube.patch(path, body, 'strategic', { timeoutMs: 10_000 });
    this.log.info('restarting ratelimit to load its renewed xDS certificate', { deployment: `${namespace}/${name}`, serial });
  }
}

/**
 * With a certificate directory (cert-manager), the operator issues nothing: it reads the Secret
 * cert-manager keeps ratelimit's certificate in every `intervalMs` and restarts ratelimit when the
 * certificate there is not the one its pods were started with.
 */
export function watchRateLimitSecret(options: {
  readonly kube: KubeClient; readonly namespace: string; readonly secret: string;
  readonly rollout: RateLimitRollout; readonly log: Logger; readonly intervalMs?: number;
}): { stop(): void } {
  const { namespace, secret, rollout, log } = options;
  const check = async (): Promise<void> => {
    const data = (await options.kube.get<Secret>(objectPath(SECRETS, namespace, secret), { timeoutMs: 10_000 })).data?.['tls.crt'];
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
