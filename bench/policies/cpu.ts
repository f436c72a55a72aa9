/** CPU time of the gateway's processes (Linux /proc), to split a run's cost by component. */
import fs from 'node:fs';

/** clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const TICKS = 100;

function stat(pid: number): string[] | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: split after it.
    const close = text.lastIndexOf(')');
    return [text.slice(text.indexOf('(') + 1, close), ...text.slice(close + 2).split(' ')];
  } catch {
    return undefined;
  }
}

/** Child processes of `parent` by command name (envoy, ratelimit, redis-server). */
export function children(parent: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = stat(Number(entry));
    // fields: [comm, state, ppid, ...]
    if (fields?.[2] === String(parent) && fields[0] !== undefined) out.set(fields[0], Number(entry));
  }
  return out;
}

/** User + system CPU seconds a process has used so far. */
export function cpuSeconds(pid: number): number {
  const fields = stat(pid);
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat (1-based), i.e. 12 and 13 here.
  return fields === undefined ? 0 : (Number(fields[12]) + Number(fields[13])) / TICKS;
}
