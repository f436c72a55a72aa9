/** Where standalone mode finds the components `make setup` builds (hack/setup/*.sh). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** $TURNPIKE_CACHE/bin, by default ~/.cache/turnpike/bin. */
export function componentBin(env: NodeJS.ProcessEnv): string {
  return path.join(env.TURNPIKE_CACHE ?? path.join(os.homedir(), '.cache', 'turnpike'), 'bin');
}

/** A component's binary: `make setup`'s cache, then PATH. */
export function findComponent(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const candidates = [path.join(componentBin(env), name), ...(env.PATH ?? '').split(':').filter((d) => d !== '').map((d) => path.join(d, name))];
  return candidates.find((c) => fs.existsSync(c));
}
