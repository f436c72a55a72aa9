// What a stream should converge to per type, and the order types are pushed in.
//
// Make-before-break (xDS "eventual consistency considerations"): CDS and EDS before LDS and RDS,
// RDS before the SRDS scopes that point at route configurations;
// resources removed by a new snapshot stay served (the "make" target: new ∪ what the client holds)
// until every type has settled without a NACK, and only then are they removed (the "break" target:
// the snapshot itself).
import { RESOURCE_ORDER, TYPE_URLS } from '../proto';
import { resourcesOf, versionOf, type Snapshot, type SnapshotResource, type TypePatch } from '../snapshot';

export interface TypeTarget {
  readonly typeUrl: string;
  /** SotW version_info / Delta system_version_info. */
  readonly version: string;
  /** The snapshot this target was derived from. */
  readonly snapshotVersion: string;
  readonly resources: ReadonlyMap<string, SnapshotResource>;
  /** Names the client holds (content unknown, e.g. Delta initial_resource_versions) that must not be removed yet. */
  readonly keep: ReadonlySet<string>;
  /** The snapshot type's patch of the previous one's resources (TypeSnapshot.patchOf), for a final target. */
  readonly patchOf?: TypePatch;
}

/** Push order of the known types; unknown types follow, by name. */
const TYPE_ORDER: readonly string[] = RESOURCE_ORDER;

/**
 * What a type's push waits for: no response of these types may be in flight (nor may the client
 * still have to subscribe to names of them). Listeners and routes wait for clusters and endpoints:
 * Envoy ACKs a CDS update only once its new clusters have warmed (received their endpoints), so
 * that ACK is the signal that routes may point at them. Nothing waits on listeners, and EDS and SDS
 * wait on nothing: cluster and listener warming depend on them, so holding them back behind an
 * unacknowledged CDS or LDS response would stall warming until Envoy's initial fetch timeout.
 * Scopes wait for route configurations (and so, like them, for clusters): a scope pointed at a
 * route configuration Envoy already holds must find its new content there. A scope naming a route
 * configuration Envoy does not hold yet necessarily goes first: Envoy subscribes to it only then.
 */
const WAITS_FOR: Readonly<Record<string, readonly string[]>> = {
  [TYPE_URLS.listener]: [TYPE_URLS.cluster, TYPE_URLS.clusterLoadAssignment],
  [TYPE_URLS.routeConfiguration]: [TYPE_URLS.cluster, TYPE_URLS.clusterLoadAssignment],
  [TYPE_URLS.scopedRouteConfiguration]: [TYPE_URLS.cluster, TYPE_URLS.clusterLoadAssignment, TYPE_URLS.routeConfiguration],
};

export function waitsFor(typeUrl: string): readonly string[] {
  return WAITS_FOR[typeUrl] ?? [];
}

/**
 * Types whose removals wait for the break phase: everything a listener, route or scope can point
 * at. Scopes themselves are removed at once, so a removed group's scopes go before its route
 * configurations.
 */
const DEFERRED_REMOVAL: ReadonlySet<string> = new Set([
  TYPE_URLS.cluster, TYPE_URLS.clusterLoadAssignment, TYPE_URLS.secret, TYPE_URLS.routeConfiguration,
]);

export function compareTypes(a: string, b: string): number {
  const ia = TYPE_ORDER.indexOf(a);
  const ib = TYPE_ORDER.indexOf(b);
  if (ia !== ib) return (ia === -1 ? TYPE_ORDER.length : ia) - (ib === -1 ? TYPE_ORDER.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

const NO_NAMES: ReadonlySet<string> = new Set();

/** The snapshot's own target for a type (break phase / steady state). */
export function finalTarget(snapshot: Snapshot, typeUrl: string): TypeTarget {
  const type = resourcesOf(snapshot, typeUrl);
  const target = { typeUrl, version: type.version, snapshotVersion: snapshot.version, resources: type.resources, keep: NO_NAMES };
  return type.patchOf === undefined ? target : { ...target, patchOf: type.patchOf };
}

/** What the client holds of one type, as far as the stream knows. */
export interface Held {
  readonly resources: ReadonlyMap<string, SnapshotResource>;
  /** The names it holds (a map's keys count: a channel need not copy its own). */
  readonly names: ReadonlySet<string> | ReadonlyMap<string, unknown>;
}

/**
 * The make-phase target: the snapshot's resources plus everything the client holds that the
 * snapshot removes (for deferred types). Equal to the final target when nothing is removed, which
 * is found with lookups alone (a push at 1,000 RouteConfigurations copies nothing).
 */
export function makeTarget(snapshot: Snapshot, typeUrl: string, held: Held): TypeTarget {
  const final = finalTarget(snapshot, typeUrl);
  if (!DEFERRED_REMOVAL.has(typeUrl)) return final;
  const removed: SnapshotResource[] = [];
  for (const [name, resource] of held.resources) if (!final.resources.has(name)) removed.push(resource);
  const keep = new Set<string>();
  for (const name of held.names.keys()) if (!final.resources.has(name) && !held.resources.has(name)) keep.add(name);
  if (removed.length === 0 && keep.size === 0) return final;
  const union = new Map(final.resources);
  for (const resource of removed) union.set(resource.name, resource);
  const resources = new Map([...union].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const version = versionOf([...resources.values()].map((r) => [r.name, r.hash] as const));
  return { typeUrl, version, snapshotVersion: final.snapshotVersion, resources, keep };
}
