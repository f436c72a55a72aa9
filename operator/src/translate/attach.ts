/**
 * Policy attachment (Kubernetes policy-attachment convention, Huawei's per-environment binding):
 * which policy of one kind applies to each published route. A policy applies to an Api in an
 * environment when it lists the environment and targets the Api or the Api's ApiGroup. Per route,
 * a policy targeting the Api directly wins over one targeting its group; between two at the same
 * level the older wins and the newer reports Accepted=False, reason Conflicted (it still applies
 * wherever it does not conflict).
 */
import type { RouteIR, SourceRef } from '@turnpike/xds-server';
import type { TargetRef } from '../api';
import { objectKey, type ResourceSet } from '../provider/resourceset';
import type { StatusBook } from './status';

export const RELEASE = 'RELEASE';

/** A valid policy, as the kinds' modules hand it over (oldest first). */
export interface Attachable<T> {
  readonly source: SourceRef;
  readonly targetRefs: readonly TargetRef[];
  /** Default [RELEASE]. */
  readonly environments?: readonly string[];
  /** What the policy contributes to a route it applies to; undefined: not applicable to it. */
  readonly value: (route: RouteIR) => T | undefined;
}

/** `namespace/api environment`: the key of one published route. */
export function routeKey(route: RouteIR): string {
  return `${route.source.namespace}/${route.source.name} ${route.environment}`;
}

interface Claim {
  readonly source: SourceRef;
  readonly direct: boolean;
}

/** Reports targets that do not exist (the policy still applies to the others). */
export function checkTargets(source: SourceRef, refs: readonly TargetRef[], set: ResourceSet, book: StatusBook): void {
  const missing = refs.filter((ref) => !set[ref.kind].has(objectKey(source.namespace, ref.name)));
  if (missing.length > 0) {
    book.unresolved(source, 'TargetNotFound', `targetRefs: ${missing.map((ref) => `${ref.kind} ${source.namespace}/${ref.name}`).join(', ')} not found`);
  }
}

/** How a policy targets a route: directly (Api), through the route's group, or not at all. */
function targeting(policy: Attachable<unknown>, route: RouteIR, group: SourceRef): Claim | undefined {
  if (policy.source.namespace !== route.source.namespace) return undefined;
  if (!(policy.environments ?? [RELEASE]).includes(route.environment)) return undefined;
  const direct = policy.targetRefs.some((ref) => ref.kind === 'Api' && ref.name === route.source.name);
  if (direct) return { source: policy.source, direct: true };
  const viaGroup = policy.targetRefs.some((ref) => ref.kind === 'ApiGroup' && ref.name === group.name && group.namespace === policy.source.namespace);
  return viaGroup ? { source: policy.source, direct: false } : undefined;
}

function label(source: SourceRef): string {
  return `${source.namespace}/${source.name}`;
}

/** A published route and the ApiGroup whose virtual host holds it. */
export interface PublishedRoute {
  readonly route: RouteIR;
  readonly group: SourceRef;
}

/** The winning policy's value per route (by routeKey); `applied` hears of each policy that wins somewhere. */
export function attach<T>(
  kind: string,
  policies: readonly Attachable<T>[],
  routes: readonly PublishedRoute[],
  book: StatusBook,
  applied: (source: SourceRef) => void,
): Map<string, T> {
  const out = new Map<string, T>();
  const claimed = new Set<SourceRef>();
  const won = new Set<SourceRef>();
  for (const { route, group } of routes) {
    let winner: { claim: Claim; value: T } | undefined;
    for (const policy of policies) {
      const claim = targeting(policy, route, group);
      const value = claim === undefined ? undefined : policy.value(route);
      if (claim === undefined || value === undefined) continue;
      claimed.add(policy.source);
      if (winner === undefined || (claim.direct && !winner.claim.direct)) {
        winner = { claim, value };
      } else if (claim.direct === winner.claim.direct) {
        const api = `Api ${label(route.source)} in ${route.environment}`;
        book.reject(claim.source, 'Conflicted', `${api} already has ${kind} ${label(winner.claim.source)} (older, same precedence); this policy is not applied there`);
      }
    }
    if (winner === undefined) continue;
    out.set(routeKey(route), winner.value);
    won.add(winner.claim.source);
    applied(winner.claim.source);
  }
  for (const { source } of policies) {
    if (!won.has(source)) book.notEnforced(source, claimed.has(source) ? OVERRIDDEN : UNUSED);
  }
  return out;
}

const OVERRIDDEN = 'Applies nowhere: every Api it targets has a policy of its own or an older one (see Accepted) in these environments.';
const UNUSED = 'Applies nowhere: none of its targets is published in its environments (App rules need Apis with auth type APP).';
