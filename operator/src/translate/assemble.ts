/** The cheap, linear half of incremental translation: pieces → GatewayIR, statuses → sorted map. */
import type { ApiGroupIR, ClusterIR, GatewayIR, RateLimitIR, SourceRef } from '@turnpike/xds-server';
import type { GatewayConfig } from '../config';
import { sameDesired, type DesiredStatus } from './status';

export interface GatewayParts {
  readonly groups: readonly ApiGroupIR[];
  readonly clusters: readonly ClusterIR[];
  readonly rateLimit?: RateLimitIR;
  readonly authz: NonNullable<GatewayIR['authz']>;
}

function gatewaySource(config: GatewayConfig): SourceRef {
  return { kind: 'GatewayConfig', namespace: '', name: config.fleet };
}

const sameList = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The gateway's IR; the previous object itself when every piece is the same. */
export function assembleGateway(config: GatewayConfig, parts: GatewayParts, previous: GatewayIR | undefined): GatewayIR {
  if (previous !== undefined && previous.authz === parts.authz && previous.rateLimit === parts.rateLimit
    && sameList(previous.groups, parts.groups) && sameList(previous.clusters, parts.clusters)) return previous;
  const anyTls = parts.groups.some((g) => g.domains.some((d) => d.tls !== undefined));
  const listen = { address: config.listenAddress };
  return {
    source: gatewaySource(config),
    http: { ...listen, port: config.httpPort },
    // Without a certificate there is nothing to serve on HTTPS: no listener rather than a broken one.
    ...(anyTls ? { https: { ...listen, port: config.httpsPort, publicPort: config.httpsPublicPort } } : {}),
    trustedProxyHops: config.trustedProxyHops,
    groups: [...parts.groups],
    clusters: [...parts.clusters],
    ...(parts.rateLimit === undefined ? {} : { rateLimit: parts.rateLimit }),
    authz: parts.authz,
  };
}

/**
 * Statuses sorted by key. A status equal to the previous one is the previous object; the previous
 * map itself is returned when nothing changed; the previous order is reused when the keys did not.
 */
export function sortedStatuses(statuses: ReadonlyMap<string, DesiredStatus>, previous: ReadonlyMap<string, DesiredStatus> | undefined): ReadonlyMap<string, DesiredStatus> {
  let sameKeys = previous !== undefined && previous.size === statuses.size;
  let changed = !sameKeys;
  const kept = new Map<string, DesiredStatus>();
  for (const [key, status] of statuses) {
    const before = previous?.get(key);
    if (before === undefined) sameKeys = false;
    const keep = before !== undefined && sameDesired(before, status);
    kept.set(key, keep ? before : status);
    if (!keep) changed = true;
  }
  if (!changed && sameKeys && previous !== undefined) return previous;
  const keys = sameKeys && previous !== undefined ? previous.keys() : [...kept.keys()].sort();
  const out = new Map<string, DesiredStatus>();
  for (const key of keys) out.set(key, kept.get(key) as DesiredStatus);
  return out;
}
