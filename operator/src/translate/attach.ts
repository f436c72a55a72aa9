/**
 * Policy attachment (Kubernetes policy-attachment convention, Huawei's per-environment binding):
 * which policy of one kind applies to each published route. A policy applies to an Api in an
 * environment when it lists the environment and targets the Api or the Api's ApiGroup. Per route,
 * a policy targeting the Api directly wins over one targeting its group; between two at the same
 * level the older wins and the newer reports Accepted=False, reason Conflicted (it still applies
 * wherever it does not conflict).
 */
import { RELEASE, type RouteIR, type SourceRef } from '@turnpike/xds-server';
import type { TargetRef } from '../api';
import { objectKey, type ResourceSet } from '../resources/resourceset';
import type { StatusBook } from './status';

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

/** What attaching one kind of policy to some routes concluded; settle() books it. */
export interface Attached<T> {
  /** The winning policy's value per route (by routeKey). */
  readonly values: ReadonlyMap<string, T>;
  /** Conflicts, in route order: the newer policy and the message. */
  readonly conflicts: readonly (readonly [SourceRef, string])[];
  /** Policies that target some route, and those that win somewhere. */
  readonly claimed: ReadonlySet<SourceRef>;
  readonly won: ReadonlySet<SourceRef>;
}

/** Attaches `policies` (oldest first) to `routes`; pure, so a group's result can be reused. */
export function attach<T>(kind: string, policies: readonly Attachable<T>[], routes: readonly PublishedRoute[]): Attached<T> {
  const values = new Map<string, T>();
  const conflicts: (readonly [SourceRef, string])[] = [];
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
        conflicts.push([claim.source, `${api} already has ${kind} ${label(winner.claim.source)} (older, same precedence); this policy is not applied there`]);
      }
    }
    if (winner === undefined) continue;
    values.set(routeKey(route), winner.value);
    won.add(winner.claim.source);
  }
  return { values, conflicts, claimed, won };
}

/**
 * Books the results of attach() over all routes (in route order): conflicts as Conflicted,
 * `applied` for each policy that wins somewhere, why the others apply nowhere.
 */
export function settle<T>(policies: readonly Attachable<T>[], results: readonly Attached<T>[], book: StatusBook, applied: (source: SourceRef) => void): void {
  const claimed = new Set<SourceRef>();
  const won = new Set<SourceRef>();
  for (const result of results) {
    for (const [source, message] of result.conflicts) book.reject(source, 'Conflicted', message);
    for (const source of result.claimed) claimed.add(source);
    for (const source of result.won) won.add(source);
  }
  for (const { source } of policies) {
    if (won.has(source)) applied(source);
    else book.notEnforced(source, claimed.has(source) ? OVERRIDDEN : UNUSED);
  }
}

const OVERRIDDEN = 'Applies nowhere: every Api it targets has a policy of its own or an older one (see Accepted) in these environments.';
const UNUSED = 'Applies nowhere: none of its targets is published in its environments (App rules need Apis with auth type APP).';
