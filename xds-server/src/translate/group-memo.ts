// Memoised per-group translation. translateIR runs on every change over the whole GatewayIR; a
// group whose ApiGroupIR object is the same as last time (identity: the IR is readonly) and whose
// other inputs are unchanged yields the *identical* instances as last time, so the snapshot's
// encoding cache (keyed by object identity) skips it and nothing is re-sent for it. A route
// configuration is kept as a LazyJson (its JSON, all the group's routes, is built again only when
// asked: the encoder keeps its encoding), the scopes (a few small objects) as JSON.
//
// Correct without identity too: a group rebuilt by the operator as a new object is a cache miss
// (just slower). Everything else the group's resources read is compared on each call:
//   - the listener sides, whether the authn filter runs, the rate-limit flags, the HTTPS public port (redirects);
//   - each cluster its routes forward to: the same ClusterIR object, or one a route would
//     translate identically (existence, kind, and for URL clusters the Host header).
import type { ApiGroupIR, ClusterIR } from '../ir';
import { buildGroupResources, type GroupInputs } from './route-config';
import { forKeeping, LazyJson, stringField, type JsonObject } from './json';
import { hostHeader } from './upstream-host';

/** A group's resources, as translateIR hands them on. */
export interface KeptGroupResources {
  readonly routeConfigs: readonly (readonly [name: string, config: LazyJson])[];
  readonly scopes: readonly JsonObject[];
}

interface Entry {
  /** The inputs of the build, without the clusters map (it belongs to one pass). */
  readonly inputs: Omit<GroupInputs, 'clusters'>;
  /** The clusters the group's routes looked up, as they were. */
  readonly used: readonly (readonly [string, ClusterIR])[];
  readonly resources: KeptGroupResources;
}

const memo = new WeakMap<ApiGroupIR, Entry>();

/** What a route reads of a cluster (routes.ts: upstreamHost). */
function sameForRoutes(a: ClusterIR, b: ClusterIR): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  return a.kind === 'Url' && b.kind === 'Url' ? hostHeader(a) === hostHeader(b) : true;
}

function usedClusters(group: ApiGroupIR, clusters: ReadonlyMap<string, ClusterIR>): (readonly [string, ClusterIR])[] {
  const used = new Map<string, ClusterIR>();
  for (const route of group.routes) {
    if (route.backend.kind !== 'Forward') continue;
    const cluster = clusters.get(route.backend.cluster);
    // An unknown cluster throws in buildRoute: such a group never gets an entry.
    if (cluster !== undefined) used.set(route.backend.cluster, cluster);
  }
  return [...used];
}

const sameSides = (a: GroupInputs['sides'], b: GroupInputs['sides']): boolean => a === b || (a.length === b.length && a.every((side, i) => side === b[i]));

function valid(entry: Entry, inputs: GroupInputs): boolean {
  const before = entry.inputs;
  if (!sameSides(before.sides, inputs.sides) || before.authn !== inputs.authn || before.publicPort !== inputs.publicPort || before.subdomainTls !== inputs.subdomainTls) return false;
  if (before.rateLimit.rateLimit !== inputs.rateLimit.rateLimit || before.rateLimit.quotas !== inputs.rateLimit.quotas) return false;
  return entry.used.every(([name, cluster]) => {
    const now = inputs.clusters.get(name);
    return now !== undefined && sameForRoutes(cluster, now);
  });
}

/** buildGroupResources, memoised by the group object's identity (see above). */
export function groupResources(group: ApiGroupIR, inputs: GroupInputs): KeptGroupResources {
  const entry = memo.get(group);
  if (entry !== undefined && valid(entry, inputs)) return entry.resources;
  // Built now, not only when asked, so that a group that cannot be translated fails this pass;
  // the route configurations are built again when the encoder asks (building is cheap, holding
  // every group's JSON until then is not).
  const built = buildGroupResources(group, inputs);
  const { clusters, ...kept } = inputs;
  const used = usedClusters(group, clusters);
  // Rebuilding reads only the clusters the routes use, not this pass's whole map.
  const rebuild = (k: number) => (): JsonObject => {
    const again = buildGroupResources(group, { ...kept, clusters: new Map(used) }).routeConfigs[k];
    if (again === undefined) throw new Error(`group ${group.source.name}: route configuration ${k} is gone on rebuild`);
    return again;
  };
  const routeConfigs = built.routeConfigs.map((config, k) => [stringField(config, 'name'), new LazyJson(rebuild(k))] as const);
  const resources: KeptGroupResources = { routeConfigs, scopes: built.scopes.map(forKeeping) };
  memo.set(group, { inputs: kept, used, resources });
  return resources;
}
