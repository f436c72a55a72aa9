import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where `make setup` (hack/setup/*.sh) caches the components it builds. */
export const cacheDir = process.env.TURNPIKE_CACHE ?? path.join(os.homedir(), '.cache', 'turnpike');

export type Component = 'envoy' | 'etcd' | 'kube-apiserver' | 'kubectl' | 'ratelimit' | 'redis-server' | 'helm';

/** Absolute path of a component's binary, or a clear error telling the user to run `make setup`. */
export function binary(name: Component): string {
  const file = path.join(cacheDir, 'bin', name);
  if (!fs.existsSync(file)) throw new Error(`${name} is not installed (no ${file}): run \`make setup\``);
  return file;
}

/** The authn filter's native module that `make setup` builds (dataplane/authn-module). */
export function authnModule(): string {
  const file = path.join(cacheDir, 'bin', 'libturnpike_authn.so');
  if (!fs.existsSync(file)) throw new Error(`the authn module is not built (no ${file}): run \`make setup\``);
  return file;
}
