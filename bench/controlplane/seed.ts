/**
 * Steady state without the wait: writes on every ApiGroup and Api the status the operator itself
 * would write once Envoy runs the config (Accepted, ResolvedRefs from the same in-process
 * translation, Programmed=True). The operator then starts on a cluster whose statuses are up to
 * date, as after a restart or a rollout, instead of spending its first minutes (hours at 10,000
 * Apis) writing one status per object, each of which comes back as a change to translate.
 */
import { schemaValidate, toResourceSet, translateResourceSet, type Translation } from '@turnpike/operator';
import { operatorGateway } from './translation';
import { worldObjects, type Size } from './fixtures';
import { collectionPath, type KubeClient, type Plural } from './kube';
import { progress } from './log';
import { mapLimit, since } from './stats';

type Desired = Translation['statuses'] extends ReadonlyMap<string, infer S> ? S : never;

/** Kept in step with operator/src/pipeline/programmed.ts (a mismatch only costs status writes). */
const PROGRAMMED = { status: 'True', reason: 'Programmed', message: 'The Envoy fleet serves this object.' } as const;

const PLURAL: Readonly<Record<string, Plural>> = { ApiGroup: 'apigroups', Api: 'apis' };

function statusOf(desired: Desired, now: string): unknown {
  const observedGeneration = desired.generation;
  const condition = (type: string, value: { status: string; reason: string; message: string }): unknown => ({
    type, status: value.status, observedGeneration, lastTransitionTime: now, reason: value.reason, message: value.message,
  });
  return {
    ...desired.fields,
    observedGeneration,
    conditions: [condition('Accepted', desired.accepted), condition('ResolvedRefs', desired.resolvedRefs), condition('Programmed', PROGRAMMED)],
  };
}

export async function seedStatuses(kube: KubeClient, namespace: string, size: Size, concurrency: number): Promise<void> {
  const start = performance.now();
  const gateway = operatorGateway();
  const { statuses } = translateResourceSet(toResourceSet(worldObjects(size, namespace)).set, gateway, schemaValidate());
  const now = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const targets = [...statuses.values()].filter((s) => PLURAL[s.source.kind] !== undefined);
  await mapLimit(targets, concurrency, async (desired) => {
    const plural = PLURAL[desired.source.kind] ?? 'apis';
    const path = `${collectionPath(namespace, plural)}/${desired.source.name}/status`;
    const reply = await kube.request('PATCH', path, JSON.stringify({ status: statusOf(desired, now) }), 'application/merge-patch+json');
    if (reply.status !== 200) throw new Error(`seed status of ${plural}/${desired.source.name}: HTTP ${reply.status} ${reply.body.slice(0, 200)}`);
  });
  progress(`seeded ${targets.length} statuses in ${(since(start) / 1000).toFixed(1)} s`);
}
