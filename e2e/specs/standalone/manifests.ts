// Small manifests for the standalone specs: one group and mock Apis whose body names them, and
// probes that wait for what the gateway serves.
import fs from 'node:fs';
import path from 'node:path';
import { call, waitFor, type HttpReply } from '../../src';

const HOST = 'demo.default.apigw.localhost';

export const GROUP = 'apiVersion: turnpike.dev/v1alpha1\nkind: ApiGroup\nmetadata: {name: demo}\n';

/** A mock Api at `/<name>` answering `body`. */
export function mockApi(name: string, body: string): string {
  return [
    'apiVersion: turnpike.dev/v1alpha1',
    'kind: Api',
    `metadata: {name: ${name}}`,
    `spec: {groupRef: {name: demo}, method: GET, path: /${name}, backend: {mock: {status: 200, body: "${body}"}}}`,
    '',
  ].join('\n');
}

export const get = (port: number, path: string): Promise<HttpReply> => call({ port, host: HOST, path, timeoutMs: 2_000 });

/** Waits until `/<path>` answers as `check` wants; returns the reply. */
function until(port: number, path: string, what: string, check: (r: HttpReply) => boolean, timeoutMs = 15_000): Promise<HttpReply> {
  return waitFor(async () => {
    const reply = await get(port, path);
    return check(reply) ? reply : undefined;
  }, { what: `${path}: ${what}`, timeoutMs, intervalMs: 25 });
}

/** Waits until `/<path>` answers `body`. */
export const untilBody = (port: number, path: string, body: string, timeoutMs?: number): Promise<HttpReply> =>
  until(port, path, `body ${body}`, (r) => r.status === 200 && r.body === body, timeoutMs);

/** Waits until `/<path>` is not served (404). */
export const untilGone = (port: number, path: string): Promise<HttpReply> => until(port, path, 'not served (404)', (r) => r.status === 404);

/**
 * Edits `<dir>/marker.yaml` and waits until the gateway on `port()` serves the edit: after it,
 * every earlier change to the folder has been read.
 */
export function markerReloader(dir: string, port: () => number): () => Promise<void> {
  let marker = 0;
  return async () => {
    marker += 1;
    fs.writeFileSync(path.join(dir, 'marker.yaml'), mockApi('marker', `m${marker}`));
    await untilBody(port(), '/marker', `m${marker}`);
  };
}

/** The argv of every live process, by pid (from /proc). */
export function processes(): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/^\S+ \(.*\) [ZX] /.test(stat)) continue;
      out.set(Number(entry), fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter((a) => a !== ''));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/**
 * A live process's start time (field 22 of /proc/<pid>/stat), undefined when it is gone or a
 * zombie: with the pid, it names the process even after the pid is used again (pid_max may be
 * 32768, and a busy run goes round it).
 */
export function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' || fields[0] === 'X' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}
