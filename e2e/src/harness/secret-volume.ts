/**
 * A Secret as kubelet mounts it: each key a symlink through `..data`, which points at a timestamped
 * directory. An update writes a new directory and renames a new `..data` link over the old one, so
 * readers see the old set or the new set, never half of each — and a watcher of the mount directory
 * (Envoy's watched_directory) sees one move. `syncSecretVolume` does what kubelet's periodic sync
 * does: it re-reads the Secret and projects it when it changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { kubectlOk } from './kubectl';

let generation = 0;

/** Writes `data` into `dir` the way kubelet's atomic writer does. */
export function projectSecret(dir: string, data: Readonly<Record<string, string>>): void {
  fs.mkdirSync(dir, { recursive: true });
  const version = `..${Date.now()}_${++generation}`;
  fs.mkdirSync(path.join(dir, version));
  for (const [key, value] of Object.entries(data)) fs.writeFileSync(path.join(dir, version, key), value, { mode: 0o600 });
  const previous = fs.existsSync(path.join(dir, '..data')) ? fs.readlinkSync(path.join(dir, '..data')) : undefined;
  fs.symlinkSync(version, path.join(dir, '..data_tmp'));
  fs.renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
  for (const key of Object.keys(data)) {
    if (!fs.existsSync(path.join(dir, key))) fs.symlinkSync(path.join('..data', key), path.join(dir, key));
  }
  if (previous !== undefined) fs.rmSync(path.join(dir, previous), { recursive: true, force: true });
}

/** The decoded data of a Secret, or undefined when it does not exist. */
export async function readSecret(kubeconfigPath: string, namespace: string, name: string): Promise<Record<string, string> | undefined> {
  const out = await kubectlOk(kubeconfigPath, ['get', 'secret', '-n', namespace, name, '--ignore-not-found', '-o', 'jsonpath={.data}']);
  if (out === '') return undefined;
  const data = JSON.parse(out) as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

export interface SecretVolume {
  /** How many times the Secret was projected (1 after the first sync). */
  projections(): number;
  stop(): Promise<void>;
}

/** Keeps `dir` in step with the Secret, checking every `periodMs` as kubelet does (it takes about a minute). */
export function syncSecretVolume(kubeconfigPath: string, namespace: string, name: string, dir: string, periodMs = 500): SecretVolume {
  let last = '';
  let count = 0;
  const state = { running: true };
  const loop = (async (): Promise<void> => {
    while (state.running) {
      const data = await readSecret(kubeconfigPath, namespace, name).catch(() => undefined);
      const text = data === undefined ? '' : JSON.stringify(data);
      if (data !== undefined && text !== last) {
        projectSecret(dir, data);
        last = text;
        count += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, periodMs));
    }
  })();
  return {
    projections: () => count,
    stop: async () => {
      state.running = false;
      await loop;
    },
  };
}
