import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where `make setup` (hack/setup/*.sh) caches the components it builds. */
export const cacheDir = process.env.TURNPIKE_CACHE ?? path.join(os.homedir(), '.cache', 'turnpike');

export type Component = 'envoy' | 'etcd' | 'kube-apiserver' | 'kubectl' | 'ratelimit' | 'redis-server' | 'helm';

const KUBECTL_FALLBACKS = ['/usr/lib/google-cloud-sdk/bin/kubectl.1.33'];

/** Absolute path of a component's binary, or a clear error telling the user to run `make setup`. */
export function binary(name: Component): string {
  const candidates = [path.join(cacheDir, 'bin', name), ...(name === 'kubectl' ? KUBECTL_FALLBACKS : [])];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (found === undefined) {
    throw new Error(`${name} is not installed (looked in ${candidates.join(', ')}): run \`make setup\``);
  }
  return found;
}
