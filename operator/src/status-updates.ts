/**
 * The pipeline's statuses as the status writer's desired updates, followed in proportion to what
 * changed: an unchanged ObjectStatus keeps its update object, and statuses patched from the last
 * ones patch the previous map (PatchedMap) instead of rebuilding it.
 */
import { STATUSLESS_KINDS, type ObjectStatus } from './pipeline';
import { PatchedMap } from './resources/patched-map';
import type { StatusUpdate } from './status';

const updates = new WeakMap<ObjectStatus, StatusUpdate>();

/** One pipeline status → the writer's update; the same object for the same status (the writer compares by identity first). */
function statusUpdate(status: ObjectStatus): StatusUpdate {
  const known = updates.get(status);
  if (known !== undefined) return known;
  const { source, generation } = status;
  const condition = (type: string, value: ObjectStatus['accepted']): StatusUpdate['status']['conditions'][number] => ({
    type, status: value.status, reason: value.reason, message: value.message, observedGeneration: generation,
  });
  const update: StatusUpdate = {
    ref: { kind: source.kind as StatusUpdate['ref']['kind'], namespace: source.namespace, name: source.name, generation },
    status: {
      ...status.fields,
      ...(status.servedGeneration === undefined ? {} : { servedGeneration: status.servedGeneration }),
      observedGeneration: generation,
      conditions: [condition('Accepted', status.accepted), condition('ResolvedRefs', status.resolvedRefs), condition('Programmed', status.programmed)],
    },
  };
  updates.set(status, update);
  return update;
}

/** Pipeline statuses (by sourceKey, the writer's statusKey) → the writer's updates; GatewayConfig and core kinds have no status to write. */
export class StatusUpdates {
  #statuses: ReadonlyMap<string, ObjectStatus> = new Map();
  #updates: ReadonlyMap<string, StatusUpdate> = new Map();

  next(statuses: ReadonlyMap<string, ObjectStatus>): ReadonlyMap<string, StatusUpdate> {
    if (statuses === this.#statuses) return this.#updates;
    // Statuses patched from the last ones (ObjectStatuses.derive) name what changed: no walk.
    const differences = PatchedMap.differences(this.#statuses, statuses);
    if (differences === undefined) {
      const all = new Map<string, StatusUpdate>();
      statuses.forEach((status, key) => { if (!STATUSLESS_KINDS.has(status.source.kind)) all.set(key, statusUpdate(status)); });
      this.#updates = all;
    } else {
      const changed = new Map<string, StatusUpdate>();
      for (const key of differences) {
        const status = statuses.get(key);
        if (status !== undefined && !STATUSLESS_KINDS.has(status.source.kind)) changed.set(key, statusUpdate(status));
      }
      this.#updates = PatchedMap.of(this.#updates, changed);
    }
    this.#statuses = statuses;
    return this.#updates;
  }
}
