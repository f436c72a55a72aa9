// Snapshot targets for protocol unit tests.
import { defaultRegistry, TYPE_URLS } from '../../proto';
import { buildSnapshot, type ResourceInput, type Snapshot } from '../../snapshot';
import { edsCluster, loadAssignment, resourceInput } from '../../snapshot/fixtures';
import { finalTarget, type TypeTarget } from '../target';

export function snapshotOf(input: ResourceInput): Snapshot {
  const built = buildSnapshot('fleet', input, { registry: defaultRegistry() });
  if (!built.ok) throw new Error(JSON.stringify(built.problems));
  return built.snapshot;
}

/** A cluster target with EDS clusters named `names`; `port` varies their endpoints' content. */
export function clusters(names: readonly string[], port = 1): Snapshot {
  return snapshotOf(resourceInput({
    [TYPE_URLS.cluster]: names.map(edsCluster),
    [TYPE_URLS.clusterLoadAssignment]: names.map((n) => loadAssignment(n, [{ address: '127.0.0.1', port }])),
  }));
}

export function target(snapshot: Snapshot, typeUrl: string): TypeTarget {
  return finalTarget(snapshot, typeUrl);
}
