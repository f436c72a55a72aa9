/** CPU time of the benchmark's processes and of the whole host (Linux /proc), to split a run's cost by component. */
import fs from 'node:fs';

/** clock ticks per second of /proc times (USER_HZ; 100 on Linux). */
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

/** The host's CPU seconds so far, summed over CPUs (the `cpu` line of /proc/stat). */
export interface HostCpu {
  /** Every state but idle and iowait (includes steal: time the hypervisor gave to other guests). */
  readonly busy: number;
  /** Time this VM wanted a CPU and the hypervisor ran someone else. */
  readonly steal: number;
  readonly total: number;
}

export function hostCpu(): HostCpu {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('cpu ')) ?? '';
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy / TICKS, steal: steal / TICKS, total: (busy + idle + iowait) / TICKS };
}
