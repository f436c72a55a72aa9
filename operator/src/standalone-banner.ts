/** The calls standalone's start banner suggests: derived from the Apis actually served. */
import { RELEASE } from '@turnpike/xds-server';
import type { ObjectStatus } from './pipeline';
import { objectKey, type ResourceSet } from './resources/resourceset';

interface ApiSpecShape {
  readonly groupRef?: { readonly name?: unknown };
  readonly method?: unknown;
  readonly path?: unknown;
  readonly protocol?: unknown;
  readonly auth?: { readonly type?: unknown };
  readonly environments?: unknown;
}

const isTrue = (s: ObjectStatus | undefined): boolean => s?.accepted.status === 'True' && s.resolvedRefs.status === 'True';

/** `[group, "-X METHOD " or "", path]` of an Api callable without credentials in RELEASE over HTTP. */
function callable(spec: ApiSpecShape | undefined): [string, string, string] | undefined {
  const group = spec?.groupRef?.name;
  if (spec === undefined || typeof group !== 'string' || typeof spec.path !== 'string' || spec.path.includes('{')) return undefined;
  const released = !Array.isArray(spec.environments) || spec.environments.includes(RELEASE);
  if ((spec.auth?.type ?? 'NONE') !== 'NONE' || spec.protocol === 'HTTPS' || !released) return undefined;
  const method = typeof spec.method === 'string' && !['GET', 'ANY'].includes(spec.method) ? `-X ${spec.method} ` : '';
  return [group, method, spec.path];
}

/**
 * `curl` lines for up to `max` accepted Apis callable without credentials in RELEASE on plain
 * HTTP through their group's default subdomain, with a path that needs no parameter.
 */
export function suggestedCalls(statuses: ReadonlyMap<string, ObjectStatus>, set: ResourceSet, httpPort: number, max = 3): string[] {
  const lines: string[] = [];
  for (const status of statuses.values()) {
    const { kind, namespace, name } = status.source;
    if (lines.length >= max || kind !== 'Api' || !isTrue(status)) continue;
    const call = callable(set.Api.get(objectKey(namespace, name))?.spec as ApiSpecShape | undefined);
    if (call === undefined) continue;
    const [group, method, path] = call;
    const groupStatus = statuses.get(`ApiGroup/${namespace}/${group}`);
    const subdomain = groupStatus?.fields.subdomain;
    if (subdomain !== undefined && isTrue(groupStatus)) lines.push(`  curl ${method}http://${subdomain}:${httpPort}${path}`);
  }
  return lines;
}
