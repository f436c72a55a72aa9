/** What /proc says about a process: resident memory and CPU time. */
import fs from 'node:fs';
import { sleep } from './stats';

export interface Memory {
  /** VmRSS, MiB. */
  readonly rss: number;
  /** VmHWM (peak resident set since start), MiB. */
  readonly peak: number;
}

function kib(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  if (match?.[1] === undefined) throw new Error(`no ${field} in /proc status`);
  return Number(match[1]);
}

export function memoryOf(pid: number): Memory {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return { rss: kib(status, 'VmRSS') / 1024, peak: kib(status, 'VmHWM') / 1024 };
}

/** User + system CPU time of a process, in ms (from /proc/<pid>/stat, clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; the fields after its closing parenthesis do not.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks * 10;
}

/**
 * Waits until the process has used at most `busyMs` of CPU during a `windowMs` window (it is done
 * reacting to the last change), or until `timeoutMs`. Returns whether it went quiet.
 */
export async function waitQuiet(pid: number, options: { windowMs?: number; busyMs?: number; timeoutMs?: number } = {}): Promise<boolean> {
  const windowMs = options.windowMs ?? 300;
  const busyMs = options.busyMs ?? 30;
  const deadline = performance.now() + (options.timeoutMs ?? 60_000);
  let before = cpuMs(pid);
  while (performance.now() < deadline) {
    await sleep(windowMs);
    const now = cpuMs(pid);
    if (now - before <= busyMs) return true;
    before = now;
  }
  return false;
}
