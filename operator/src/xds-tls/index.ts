/**
 * Mutual TLS on xDS in cluster mode: the server's rotating credentials, fed by the operator's own
 * CA (kube.ts) or by a certificate directory (files.ts), as config.xds.tls says.
 */
import { RotatingServerTls } from '@turnpike/xds-server';
import type { Config } from '../config';
import type { KubeClient } from '../kube/client';
import type { Logger } from '../log';
import { watchTlsDirectory } from './files';
import { XdsCaController } from './kube';
import { xdsTlsSecretNames } from './names';
import { RateLimitRollout, watchRateLimitSecret } from './rollout';

export interface XdsTls {
  readonly tls: RotatingServerTls;
  stop(): void;
}

/** Resolves once the server has a certificate; undefined when xDS is plaintext. */
export async function startXdsTls(config: Config, kube: KubeClient, namespace: string, log: Logger): Promise<XdsTls | undefined> {
  const settings = config.xds.tls;
  if (settings === undefined) return undefined;
  const tls = new RotatingServerTls();
  if (settings.kind === 'directory') {
    const watcher = watchTlsDirectory(settings.dir, tls, log.child({ component: 'xds-tls' }));
    const restart = settings.rateLimitRestart;
    const rateLimit = restart === undefined ? undefined
      : watchRateLimitSecret({ kube, namespace, secret: restart.secret, rollout: new RateLimitRollout(kube, namespace, restart.deployment, log), log });
    return { tls, stop: () => { watcher.stop(); rateLimit?.stop(); } };
  }
  const { rateLimitDeployment } = settings;
  const rollout = rateLimitDeployment === undefined ? {} : { rateLimitRollout: new RateLimitRollout(kube, namespace, rateLimitDeployment, log) };
  const controller = new XdsCaController({
    kube, namespace, tls, log, ...rollout,
    secrets: xdsTlsSecretNames(settings.secretPrefix, config.gateway.fleet),
    serverNames: settings.serverNames,
    validityMs: settings.validityMs,
  });
  await controller.start();
  return { tls, stop: () => { controller.stop(); } };
}
