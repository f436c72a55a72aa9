/**
 * Standalone mode's statuses, which it writes nowhere: the log says what `kubectl get` would.
 */
import type { Logger } from './log';
import type { ObjectStatus } from './pipeline';
import { PatchedMap } from './resources/patched-map';

function describe(status: ObjectStatus): string {
  const c = (name: string, v: ObjectStatus['accepted']): string => `${name}=${v.status}${v.status === 'True' ? '' : ` (${v.reason}: ${v.message})`}`;
  return [c('Accepted', status.accepted), c('ResolvedRefs', status.resolvedRefs), c('Programmed', status.programmed)].join(' ');
}

/** Past this many objects whose conditions changed at once (a start, an edit every object depends on), the log sums them up by conditions. */
const DESCRIBED_ONE_BY_ONE = 20;
/** Objects named in a summed-up line. */
const EXAMPLES = 5;

const failing = (status: ObjectStatus): boolean => status.accepted.status === 'False' || status.resolvedRefs.status === 'False' || status.programmed.status === 'False';

/**
 * Logs each object's conditions when they change: standalone's `kubectl get`. An unchanged status
 * is the same object as before (ObjectStatuses), so only changed ones are described; many at once
 * are one line per distinct set of conditions, with the count and a few of the objects
 * (`turnpike status` lists them all).
 */
export function statusPrinter(log: Logger): (statuses: ReadonlyMap<string, ObjectStatus>) => void {
  const last = new Map<string, { readonly status: ObjectStatus; readonly line: string }>();
  let previous: ReadonlyMap<string, ObjectStatus> = new Map();
  return (statuses) => {
    const changed: { readonly key: string; readonly status: ObjectStatus; readonly line: string }[] = [];
    const look = (status: ObjectStatus, key: string): void => {
      const before = last.get(key);
      if (before?.status === status) return;
      const line = describe(status);
      last.set(key, { status, line });
      if (before?.line !== line) changed.push({ key, status, line });
    };
    // Statuses patched from the last ones (ObjectStatuses.derive) name what changed; otherwise a
    // walk, with forEach: nothing is allocated for the statuses that did not change.
    const differences = PatchedMap.differences(previous, statuses);
    if (differences === undefined) statuses.forEach(look);
    else for (const key of differences) { const status = statuses.get(key); if (status !== undefined) look(status, key); }
    previous = statuses;
    if (last.size > statuses.size) for (const key of [...last.keys()]) if (!statuses.has(key)) last.delete(key);
    if (changed.length <= DESCRIBED_ONE_BY_ONE) {
      for (const { key, status, line } of changed) {
        const fields = { object: key, ...status.fields, ...(status.servedGeneration === undefined ? {} : { servedGeneration: status.servedGeneration }) };
        if (failing(status)) log.warn(line, fields);
        else log.info(line, fields);
      }
      return;
    }
    const byLine = new Map<string, { readonly failing: boolean; readonly objects: string[] }>();
    for (const { key, status, line } of changed) {
      const group = byLine.get(line) ?? { failing: failing(status), objects: [] };
      group.objects.push(key);
      byLine.set(line, group);
    }
    for (const [line, group] of byLine) {
      const fields = { objects: group.objects.length, examples: group.objects.slice(0, EXAMPLES) };
      if (group.failing) log.warn(line, fields);
      else log.info(line, fields);
    }
  };
}
