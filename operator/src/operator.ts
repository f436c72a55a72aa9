/**
 * `turnpike operator`: the control plane against Kubernetes. Every replica watches, translates and
 * serves xDS; only the Lease holder writes status.
 */
import { loadConfig } from './config';
import { CredentialsController } from './credentials/kube';
import { startHealthServer } from './health';
import { KubeClient } from './kube/client';
import { loadKubeConnection } from './kube/config';
import { EnvoyCensus, LeaderElector } from './leader';
import { ControlPlaneMetrics } from './metrics';
import type { StatusReport } from './report/report';
import { createLogger } from './log';
import { informersProvider } from './provider/informers';
import { TranslationView } from './provider/relevance';
import { startRuntime, untilSignalled } from './runtime';
import { StatusWriter } from './status';
import { StatusUpdates } from './status-updates';
import { applyHeapPolicy } from './heap';
import { startXdsTls } from './xds-tls';

export async function runOperator(argv: readonly string[]): Promise<void> {
  applyHeapPolicy();
  const config = loadConfig('operator', argv, process.env);
  if (config.mode.kind !== 'operator') throw new Error('unreachable: operator config expected');
  const mode = config.mode;
  const log = createLogger({ level: config.logLevel, base: { identity: mode.identity } });
  const kube = new KubeClient(loadKubeConnection(mode.kubeconfig));
  log.info('Kubernetes API server', { server: kube.description });
  // Probes answer from the start (live), ready once the informers have synced.
  const metrics = new ControlPlaneMetrics();
  // The runtime starts after the probes; until then /status reports nothing.
  let report: () => StatusReport = () => ({ fleets: [], objects: [] });
  const health = mode.healthPort === undefined ? undefined : await startHealthServer({
    host: config.xds.host, port: mode.healthPort, metrics: () => metrics.exposition(), status: () => report(),
  });
  // With mutual TLS, xDS opens once the server has its certificate.
  const xdsTls = await startXdsTls(config, kube, mode.leaseNamespace, log);
  // Fast limits are split among the Envoys connected to every replica, not only to this one.
  const peers = { envoys: (): number => 0 };
  const runtime = await startRuntime(config, log, { metrics, envoys: (local) => local + peers.envoys(), ...(xdsTls === undefined ? {} : { tls: xdsTls.tls }) });
  const census = new EnvoyCensus({
    kube, namespace: mode.leaseNamespace, leaseName: mode.leaseName, identity: mode.identity, log: log.child({ component: 'census' }),
    local: () => runtime.connectedEnvoys(), onChange: () => { runtime.pipeline.requestRefresh(); },
  });
  peers.envoys = () => census.peers();
  runtime.ads.onEvent(() => { census.localChanged(); });
  report = () => runtime.report();
  const writer = new StatusWriter({
    kube, log: log.child({ component: 'status' }),
    onWrite: (result, seconds) => { metrics.statusWriteDuration.observe({ result }, seconds); },
  });
  const updates = new StatusUpdates();
  runtime.pipeline.onStatuses((statuses) => { writer.update(updates.next(statuses)); });
  // Generates the credentials Secrets of Apps and SignatureKeys that name none (leader only).
  const credentials = new CredentialsController({ kube, log });
  const elector = new LeaderElector({
    kube, namespace: mode.leaseNamespace, name: mode.leaseName, identity: mode.identity, log: log.child({ component: 'leader' }),
    onStartedLeading: () => { writer.setLeader(true); credentials.setLeader(true); metrics.leader.set(1); },
    onStoppedLeading: () => { writer.setLeader(false); credentials.setLeader(false); metrics.leader.set(0); },
  });
  const provider = informersProvider({
    kube, log: log.child({ component: 'informers' }),
    onRestart: (kind) => { metrics.informerRestarts.inc({ kind }); },
  });
  // Status writes (ours included) change no input of translation: the writer and the credentials
  // controller see every set, the pipeline only sets that differ for translation.
  const view = new TranslationView();
  await provider.start((set) => {
    // Serving first: the writer's and the credentials controller's bookkeeping runs in a later
    // task, after a push has reached the socket, and before the statuses derived from this pass
    // (immediates run in the order they were queued).
    setImmediate(() => {
      writer.observe(set);
      credentials.observe(set);
    });
    const changed = view.next(set);
    if (changed === undefined) log.debug('no change for translation; pass skipped');
    else runtime.pipeline.update(changed);
  });
  elector.start();
  census.start();
  health?.setReady(true);
  log.info('operator started', { xdsPort: runtime.xdsPort, xdsTls: config.xds.tls?.kind ?? 'none', fleet: config.gateway.fleet, healthPort: health?.port });
  await untilSignalled();
  health?.setReady(false);
  // Drain: stop writing and hand the lease over at once, then close streams (Envoy reconnects elsewhere).
  await elector.stop({ release: true });
  await census.stop();
  await writer.stop();
  await provider.stop();
  kube.close();
  await runtime.stop();
  xdsTls?.stop();
  await health?.close();
}
