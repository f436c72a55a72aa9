import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** A component process started by the harness, with its output captured in a log file. */
export interface Proc {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has exited (with its code or signal). */
  readonly exited: Promise<string>;
  isRunning(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly logDir: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Survive this Node process (for `make cluster-up`); such processes are not reaped on exit. */
  readonly detached?: boolean;
}

const live = new Set<Proc>();

/** The log files of every process started by this Node process, for printing when a test fails. */
export const startedLogs: string[] = [];

function kill(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    child.kill(signal);
  } catch {
    // Already gone.
  }
}

/** Starts a process whose stdout and stderr go to `<logDir>/<name>.log`. */
export function startProcess(options: StartOptions): Proc {
  fs.mkdirSync(options.logDir, { recursive: true });
  const logFile = path.join(options.logDir, `${options.name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(options.command, [...options.args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', out, out],
    detached: options.detached ?? false,
  });
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error(`${options.name}: could not start ${options.command}`);
  let running = true;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      live.delete(proc);
      resolve(signal ?? `exit code ${code ?? '?'}`);
    });
    child.once('error', (err) => {
      running = false;
      live.delete(proc);
      resolve(`failed to start: ${err.message}`);
    });
  });
  const proc: Proc = {
    name: options.name,
    pid: child.pid,
    logFile,
    exited,
    isRunning: () => running,
    stop: async (graceMs = 5_000) => {
      if (!running) return;
      kill(child, 'SIGTERM');
      const timer = setTimeout(() => {
        kill(child, 'SIGKILL');
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  if (options.detached === true) {
    child.unref();
  } else {
    live.add(proc);
    startedLogs.push(logFile);
  }
  return proc;
}

/** Kills every non-detached process still running (used by the jest environment's teardown). */
export async function reapAll(): Promise<void> {
  await Promise.all([...live].map((proc) => proc.stop(2_000)));
}

// Last resort when the Node process exits without teardown (a crash, a forced exit): no process
// started by a test may outlive it.
process.once('exit', () => {
  for (const proc of live) {
    try {
      process.kill(proc.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** The last `lines` lines of a log file (for failure reports). */
export function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// The jest environment (e2e/jest-environment.js) runs outside the test's module registry; it
// finds the reaper and the log list through the test context's global object.
Object.assign(globalThis, { __turnpikeReap: reapAll, __turnpikeLogs: startedLogs });
