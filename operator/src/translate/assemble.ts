/** The cheap, linear half of incremental translation: pieces → GatewayIR, statuses → sorted map. */
import type { ApiGroupIR, ClusterIR, DownstreamTlsIR, GatewayIR, RateLimitIR, SourceRef } from '@turnpike/xds-server';
import type { GatewayConfig } from '../config';
import { PatchedMap } from '../resources/patched-map';
import { sameDesired, type DesiredStatus } from './status';

export interface GatewayParts {
  readonly groups: readonly ApiGroupIR[];
  readonly clusters: readonly ClusterIR[];
  readonly rateLimit?: RateLimitIR;
  readonly authz: NonNullable<GatewayIR['authz']>;
  /** The default subdomains' certificate (subdomain-tls.ts). */
  readonly subdomainTls?: DownstreamTlsIR;
}

function gatewaySource(config: GatewayConfig): SourceRef {
  return { kind: 'GatewayConfig', namespace: '', name: config.fleet };
}

const sameList = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The gateway's IR; the previous object itself when every piece is the same. */
export function assembleGateway(config: GatewayConfig, parts: GatewayParts, previous: GatewayIR | undefined): GatewayIR {
  if (previous !== undefined && previous.authz === parts.authz && previous.rateLimit === parts.rateLimit && previous.https?.defaultTls === parts.subdomainTls
    && sameList(previous.groups, parts.groups) && sameList(previous.clusters, parts.clusters)) return previous;
  const anyTls = parts.subdomainTls !== undefined || parts.groups.some((g) => g.domains.some((d) => d.tls !== undefined));
  const defaultTls = parts.subdomainTls === undefined ? {} : { defaultTls: parts.subdomainTls };
  const listen = { address: config.listenAddress };
  return {
    source: gatewaySource(config),
    http: { ...listen, port: config.httpPort },
    // Without a certificate there is nothing to serve on HTTPS: no listener rather than a broken one.
    ...(anyTls ? { https: { ...listen, port: config.httpsPort, publicPort: config.httpsPublicPort, ...defaultTls } } : {}),
    trustedProxyHops: config.trustedProxyHops,
    groups: [...parts.groups],
    clusters: [...parts.clusters],
    ...(parts.rateLimit === undefined ? {} : { rateLimit: parts.rateLimit }),
    authz: parts.authz,
    ...(config.accessLog === undefined ? {} : { accessLog: config.accessLog }),
  };
}

/**
 * Statuses sorted by key. A status equal to the previous one is the previous object; the previous
 * map itself is returned when nothing changed; the previous order is reused when the keys did not.
 */
function sortedStatuses(statuses: ReadonlyMap<string, DesiredStatus>, previous: ReadonlyMap<string, DesiredStatus> | undefined): ReadonlyMap<string, DesiredStatus> {
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

type Entries = readonly (readonly [string, DesiredStatus])[];

/**
 * The statuses of a pass from the steps' entries. Steps that were reused hand over the same
 * entries array as before; when the steps that changed book the same keys as those they replace
 * (an edit), the previous map is patched (PatchedMap) instead of rebuilt and sorted.
 */
export class StatusAssembly {
  #parts: readonly Entries[] = [];
  #map: ReadonlyMap<string, DesiredStatus> | undefined;

  assemble(parts: readonly Entries[]): ReadonlyMap<string, DesiredStatus> {
    const { added, removed } = StatusAssembly.#changes(this.#parts, parts);
    this.#parts = parts;
    this.#map = this.#patched(added, removed) ?? sortedStatuses(new Map(parts.flat()), this.#map);
    return this.#map;
  }

  /** The parts in one list and not the other: compared place by place when the steps are the same in number (an edit). */
  static #changes(before: readonly Entries[], after: readonly Entries[]): { readonly added: Entries[]; readonly removed: Entries[] } {
    if (before.length === after.length) {
      const added: Entries[] = [];
      const removed: Entries[] = [];
      after.forEach((part, i) => {
        const old = before[i] as Entries;
        if (old !== part) {
          added.push(part);
          removed.push(old);
        }
      });
      return { added, removed };
    }
    const current = new Set(after);
    const previous = new Set(before);
    return { added: after.filter((part) => !previous.has(part)), removed: before.filter((part) => !current.has(part)) };
  }

  #patched(added: readonly Entries[], removed: readonly Entries[]): ReadonlyMap<string, DesiredStatus> | undefined {
    const previous = this.#map;
    if (previous === undefined) return undefined;
    const keys = new Set(removed.flatMap((part) => part.map(([key]) => key)));
    const entries = added.flat();
    if (entries.length !== keys.size || !entries.every(([key]) => keys.has(key))) return undefined;
    if (!entries.every(([key]) => previous.has(key))) return undefined;
    const changed = new Map(entries.filter(([key, status]) => !sameDesired(previous.get(key) as DesiredStatus, status)));
    return PatchedMap.of(previous, changed);
  }
}
