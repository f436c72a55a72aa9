/**
 * The child processes of standalone mode (Envoy, envoyproxy/ratelimit, Redis) and of `turnpike
 * envoy`, and what guarantees that a restart never leaves two gateways serving:
 *
 * - every child is recorded, with its start time, in `<state-dir>/processes.json` as it starts;
 * - at start, a record left by a process that died without stopping its children (`kill -9`, an
 *   out-of-memory kill) names stale children: those still alive (same pid and start time, so a
 *   reused pid is never touched) are stopped, and the log names them; a record whose owner is
 *   still alive means another standalone uses this state directory: refused, naming it;
 * - Envoy is not started when its HTTP port is taken (Envoy's SO_REUSEPORT would share it with
 *   whatever listens there, e.g. the Envoy of a standalone with another state directory): the
 *   start is refused, naming the processes that listen;
 * - stopping is bounded: SIGTERM, then SIGKILL after a grace period; and a Node `exit` hook
 *   SIGKILLs any child still running, whatever the reason this process exits.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from './log';

/** How long a child may take to stop after SIGTERM before it is killed. */
export const STOP_GRACE_MS = 5_000;

/** A process identified by pid and start time (clock ticks after boot), so a reused pid never matches. */
export interface ProcessRecord {
  readonly name: string;
  readonly pid: number;
  readonly startTime: string;
}

interface StateRecord {
  readonly owner: ProcessRecord;
  readonly children: readonly ProcessRecord[];
}

/** The start time of a live (not zombie) process, from /proc/<pid>/stat; undefined when gone. */
function startTimeOf(pid: number): string | undefined {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after "pid (comm) ": state is field 3, starttime field 22.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  return fields[19];
}

const alive = (p: ProcessRecord): boolean => startTimeOf(p.pid) === p.startTime;

const describe = (p: ProcessRecord): string => `${p.name} (pid ${p.pid})`;

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

/** SIGTERM, SIGKILL after `graceMs`, resolves when every process is gone (not our children: polled). */
async function stopStale(processes: readonly ProcessRecord[], graceMs: number): Promise<void> {
  for (const p of processes) signal(p.pid, 'SIGTERM');
  const killAt = Date.now() + graceMs;
  let killed = false;
  while (processes.some(alive)) {
    if (!killed && Date.now() >= killAt) {
      for (const p of processes.filter(alive)) signal(p.pid, 'SIGKILL');
      killed = true;
    }
    if (killed && Date.now() >= killAt + 5_000) throw new Error(`could not stop ${processes.filter(alive).map(describe).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Stops a child: SIGTERM, SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess | undefined, graceMs = STOP_GRACE_MS): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** The children of one standalone process, recorded in its state directory. */
export class StandaloneProcesses {
  private readonly file: string;
  private readonly children = new Map<ChildProcess, ProcessRecord>();
  private readonly owner: ProcessRecord;
  private readonly onExit = (): void => { this.killAll(); };

  /** `owner`: the command holding the state directory (`turnpike standalone`, `turnpike envoy`), in messages. */
  constructor(stateDir: string, private readonly log: Logger, owner = 'turnpike standalone') {
    this.file = path.join(path.resolve(stateDir), 'processes.json');
    this.owner = { name: owner, pid: process.pid, startTime: startTimeOf(process.pid) ?? '' };
  }

  /**
   * Takes the state directory: refuses when another live standalone holds it, stops the children
   * a crashed one left behind, then records this process.
   */
  async claim(graceMs = STOP_GRACE_MS): Promise<void> {
    const previous = this.read();
    if (previous !== undefined && previous.owner.pid !== process.pid && alive(previous.owner)) {
      throw new Error(
        `another ${previous.owner.name} (pid ${previous.owner.pid}) is running with the state directory ${path.dirname(this.file)}; ` +
          `stop it first (kill ${previous.owner.pid}) or pass another --state-dir`,
      );
    }
    const stale = (previous?.children ?? []).filter(alive);
    if (stale.length > 0) {
      this.log.warn(`stopping processes left running by a ${previous?.owner.name ?? 'turnpike'} that did not stop them (pid ${previous?.owner.pid ?? '?'}): ${stale.map(describe).join(', ')}`, {
        pids: stale.map((p) => p.pid),
      });
      await stopStale(stale, graceMs);
    }
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    this.write();
    process.once('exit', this.onExit);
  }

  /** Records a child just started (spawn has returned: it has exec'd its binary). */
  track(name: string, child: ChildProcess): void {
    const pid = child.pid;
    const startTime = pid === undefined ? undefined : startTimeOf(pid);
    if (pid === undefined || startTime === undefined) return;
    this.children.set(child, { name, pid, startTime });
    child.once('exit', () => {
      this.children.delete(child);
      this.write();
    });
    this.write();
  }

  /** SIGKILLs every child still running (synchronous: usable in an `exit` hook). */
  killAll(): void {
    for (const child of this.children.keys()) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }

  /** Forgets the record once every child has stopped. */
  release(): void {
    process.removeListener('exit', this.onExit);
    if (this.children.size > 0) return;
    const current = this.read();
    if (current?.owner.pid === process.pid) fs.rmSync(this.file, { force: true });
  }

  private read(): StateRecord | undefined {
    try {
      const value = JSON.parse(fs.readFileSync(this.file, 'utf8')) as StateRecord;
      return typeof value.owner.pid === 'number' && Array.isArray(value.children) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  private write(): void {
    const record: StateRecord = { owner: this.owner, children: [...this.children.values()] };
    const temporary = `${this.file}.${process.pid}`;
    try {
      fs.writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`);
      fs.renameSync(temporary, this.file);
    } catch (err) {
      this.log.warn('could not record the standalone child processes', { file: this.file, err });
    }
  }
}

/** The processes holding a listening TCP socket on `port` (from /proc/net/tcp{,6} and /proc/<pid>/fd). */
function listeners(port: number): string[] {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT, st 0A is LISTEN, the inode is field 10.
      if (fields[3] === '0A' && parseInt(fields[1]?.split(':')[1] ?? '', 16) === port && fields[9] !== undefined) inodes.add(`socket:[${fields[9]}]`);
    }
  }
  const owners: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((entry) => /^[0-9]+$/.test(entry))) {
    try {
      if (!fs.readdirSync(`/proc/${pid}/fd`).some((fd) => inodes.has(fs.readlinkSync(`/proc/${pid}/fd/${fd}`)))) continue;
      owners.push(`${path.basename(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] ?? '?')} (pid ${pid})`);
    } catch {
      // Gone, or not ours to look at.
    }
  }
  return owners;
}

/** Throws, naming who listens, when `host:port` cannot be bound without SO_REUSEPORT. */
export async function assertPortFree(host: string, port: number, flag: string): Promise<void> {
  const server = net.createServer();
  const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    server.once('error', resolve);
    server.listen({ host, port, exclusive: true }, () => { resolve(undefined); });
  });
  if (error === undefined) {
    await new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
    return;
  }
  if (error.code !== 'EADDRINUSE') return;
  const owners = listeners(port);
  throw new Error(
    `port ${port} on ${host} is already in use${owners.length > 0 ? ` by ${owners.join(', ')}` : ''}: ` +
      `another gateway would share it with this one's Envoy; stop it or choose another ${flag}`,
  );
}
