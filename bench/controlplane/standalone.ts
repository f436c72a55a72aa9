/**
 * Standalone mode: the world as one manifest file per group (`group-<g>.yaml`: the ApiGroup and
 * its Apis), served by `turnpike standalone -f DIR` with its defaults (it starts its own Envoy).
 * An edit rewrites the group's file in place, as an editor saving it would.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandalone, tail } from '@turnpike/e2e';
import { groupFile, groupOf, type Size } from './fixtures';
import { cleanUp, controlPlaneEnv, waitAllServed, type Live, type LiveOptions } from './gateway';
import { progress } from './log';
import { since } from './stats';
import { EnvoyClient } from './traffic';

/** The namespace of objects without one in standalone mode. */
const NAMESPACE = 'default';

/** Runs `body` against a fresh standalone gateway of `size` and always stops every process it started. */
export async function withStandalone<T>(size: Size, options: LiveOptions, body: (live: Live) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-bench-'));
  const manifests = path.join(dir, 'manifests');
  const stops: (() => Promise<void> | void)[] = [];
  const revisions = new Map<number, number>();
  const fileOf = (g: number): string => path.join(manifests, `group-${g}.yaml`);
  try {
    fs.mkdirSync(manifests);
    for (let g = 0; g < size.groups; g += 1) fs.writeFileSync(fileOf(g), groupFile(size, g, () => 0));
    progress(`wrote ${size.groups} manifest files with ${size.apis} Apis`);
    const start = performance.now();
    const gateway = await startStandalone({ manifests, dir, env: controlPlaneEnv(options), extraArgs: options.standaloneArgs });
    // A CPU profile is written when the process exits: give it time to finish.
    stops.push(() => gateway.proc.stop(options.cpuProfDir === undefined ? 5_000 : 60_000));
    const http = new EnvoyClient(gateway.httpPort, 32);
    stops.push(() => { http.close(); });
    await waitAllServed({ size, namespace: NAMESPACE, http }, 30 * 60_000);
    const coldStartMs = since(start);
    progress(`standalone start → all ${size.apis} Apis served through Envoy: ${(coldStartMs / 1000).toFixed(1)} s`);
    return await body({
      mode: 'standalone', size, namespace: NAMESPACE, controlPlane: gateway, http, revisions, startedAt: start, coldStartMs,
      edit: (i, revision, onSent) => {
        const g = groupOf(size, i);
        const text = groupFile(size, g, (k) => (k === i ? revision : revisions.get(k) ?? 0));
        onSent?.();
        fs.writeFileSync(fileOf(g), text);
        return Promise.resolve();
      },
      settled: () => Promise.resolve(true),
    });
  } catch (err) {
    progress(`standalone log (tail):\n${tail(path.join(dir, 'standalone.log'), 20)}`);
    throw err;
  } finally {
    await cleanUp(stops, dir, options.keep);
  }
}
