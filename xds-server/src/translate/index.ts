// IR → Envoy v3 resources, grouped by xDS type URL. Pure: no I/O, clock or randomness.
import type { GatewayIR } from '../ir';
import { RESOURCE_ORDER, TYPE_URLS, type ResourceTypeUrl } from '../proto/type-urls';
import { clusterOf, loadAssignmentOf } from './cluster-memo';
import { AUTHN_FILTER, redactAuthnConfig } from './authn';
import type { FleetFacts } from './feature';
import { FEATURES } from './features';
import { checkGateway, indexClusters } from './invariants';
import { byString, jsonOf, stringField, type JsonObject, type ResourceJson } from './json';
import { buildHttpListener, buildHttpsListener, servedCertificates } from './listeners';
import { redactResource } from './redact';
import { groupResources } from './group-memo';
import { rateLimitFlags } from './policy-routes';
import type { GroupInputs } from './route-config';
import type { Side } from './routes';
import { buildSecrets } from './secrets';
import { stable } from './stable';

export { TranslateError, type TranslateErrorCode } from './translate-error';
export { AUTHN_FILTER, AuthnFacts, MAX_SIGNED_BODY_BYTES } from './authn';
export { FAST_THROTTLE_FILTER, share as fastShare } from './fast-throttle';
export { METADATA_NAMESPACE } from './metadata';
export { pathRouting } from './path-match';
export { RATELIMIT_CLUSTER, RATELIMIT_DOMAIN } from './ratelimit';
export { buildRateLimitConfig, RATELIMIT_CONFIG_NAME, RATELIMIT_CONFIG_TYPE, translateRateLimitConfig } from './ratelimit-config';
export { redactResource } from './redact';

/**
 * Type URL → resource name → resource (proto3 JSON, snake_case, nested Anys with "@type"; route
 * configurations as LazyJson, see group-memo.ts). Every type URL of RESOURCE_ORDER is present, in
 * that order; names iterate sorted.
 */
export type EnvoyResources = ReadonlyMap<ResourceTypeUrl, ReadonlyMap<string, ResourceJson>>;

/** The resources of one type as JSON (empty when none); builds lazy ones, so not for the hot path. */
export function resourcesByType(resources: EnvoyResources, type: ResourceTypeUrl): ReadonlyMap<string, JsonObject> {
  return new Map([...(resources.get(type) ?? [])].map(([name, resource]) => [name, jsonOf(resource)]));
}

/** Gateway-wide resources by name, each the previous pass's object while it is equal (stable.ts). */
function stableByName(type: ResourceTypeUrl, resources: readonly JsonObject[]): ReadonlyMap<string, JsonObject> {
  return byName(type, resources.map((resource) => stable(type, stringField(resource, 'name'), resource)));
}

function byName(type: ResourceTypeUrl, resources: readonly JsonObject[], key: 'name' | 'cluster_name' = 'name'): ReadonlyMap<string, JsonObject> {
  return sortedMap(type, resources.map((resource): [string, JsonObject] => [stringField(resource, key), resource]));
}

/** A type's map of the last pass, and how it was sorted. */
interface Sorted<T> {
  /** The names and resources as given, in the order given. */
  readonly names: readonly string[];
  readonly values: readonly T[];
  /** Positions in the given order, in name order. */
  readonly order: readonly number[];
  readonly map: ReadonlyMap<string, T>;
}

/**
 * Each type's map of the last pass. An edit keeps every name and its place (500 RouteConfigurations
 * at 10,000 Apis), so the next map follows the last one's order instead of sorting again.
 */
const lastByType = new Map<ResourceTypeUrl, Sorted<unknown>>();

function inOrder<T>(named: readonly (readonly [string, T])[], order: readonly number[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const i of order) {
    const [name, value] = named[i] as readonly [string, T];
    map.set(name, value);
  }
  return map;
}

/** `named` by name, in name order; the last pass's map itself when no name or resource changed. */
function sortedMap<T>(type: ResourceTypeUrl, named: readonly (readonly [string, T])[]): ReadonlyMap<string, T> {
  const last = lastByType.get(type) as Sorted<T> | undefined;
  const sameNames = last !== undefined && last.names.length === named.length && named.every(([name], i) => name === last.names[i]);
  if (sameNames && named.every(([, value], i) => value === last.values[i])) return last.map;
  const order = sameNames ? last.order : named.map((_, i) => i).sort((a, b) => byString((named[a] as readonly [string, T])[0], (named[b] as readonly [string, T])[0]));
  const map = inOrder(named, order);
  lastByType.set(type, { names: sameNames ? last.names : named.map(([name]) => name), values: named.map(([, value]) => value), order, map });
  return map;
}

interface RouteResources {
  readonly routeConfigs: (readonly [string, ResourceJson])[];
  readonly scopes: JsonObject[];
}

/** Every group's RouteConfigurations and its scopes on the listener sides that exist (memoised per group). */
function routeResources(ir: GatewayIR, sides: readonly Side[], clusters: GroupInputs['clusters']): RouteResources {
  const out: RouteResources = { routeConfigs: [], scopes: [] };
  const inputs: GroupInputs = { sides, authn: ir.authz?.module !== undefined, rateLimit: rateLimitFlags(ir), publicPort: ir.https?.publicPort ?? 443, subdomainTls: ir.https?.defaultTls !== undefined, clusters };
  for (const group of ir.groups) {
    const built = groupResources(group, inputs);
    for (const r of built.routeConfigs) out.routeConfigs.push(r);
    for (const s of built.scopes) out.scopes.push(s);
  }
  return out;
}

export type { FleetFacts } from './feature';

/** Translates the whole IR; throws TranslateError when the IR breaks its invariants. */
export function translateIR(ir: GatewayIR, fleet: FleetFacts = { envoys: 1 }): EnvoyResources {
  checkGateway(ir);
  const clusters = indexClusters(ir);
  const https = buildHttpsListener(ir);
  const http = buildHttpListener(ir);
  const listeners = [http, https].filter((l): l is JsonObject => l !== undefined);
  const sides: Side[] = [...(http === undefined ? [] : ['http' as const]), ...(https === undefined ? [] : ['https' as const])];
  const routes = routeResources(ir, sides, clusters);
  const services = ir.clusters.flatMap((c) => (c.kind === 'Service' ? [c] : []));
  const gatewayClusters = FEATURES.flatMap((f) => f.clusters?.(ir) ?? []).map((cluster) => stable(TYPE_URLS.cluster, stringField(cluster, 'name'), cluster));
  const byType: Readonly<Record<ResourceTypeUrl, ReadonlyMap<string, ResourceJson>>> = {
    [TYPE_URLS.listener]: stableByName(TYPE_URLS.listener, listeners),
    [TYPE_URLS.routeConfiguration]: sortedMap(TYPE_URLS.routeConfiguration, routes.routeConfigs),
    [TYPE_URLS.scopedRouteConfiguration]: byName(TYPE_URLS.scopedRouteConfiguration, routes.scopes),
    [TYPE_URLS.cluster]: byName(TYPE_URLS.cluster, [...ir.clusters.map(clusterOf), ...gatewayClusters]),
    [TYPE_URLS.clusterLoadAssignment]: byName(TYPE_URLS.clusterLoadAssignment, services.map(loadAssignmentOf), 'cluster_name'),
    [TYPE_URLS.secret]: stableByName(TYPE_URLS.secret, https === undefined ? [] : buildSecrets(servedCertificates(ir))),
    [TYPE_URLS.extensionConfig]: stableByName(TYPE_URLS.extensionConfig, FEATURES.flatMap((f) => f.extensionConfigs?.(ir, fleet) ?? [])),
  };
  return new Map(RESOURCE_ORDER.map((type) => [type, byType[type]]));
}

/** A JSON-ready dump (type URL → name → resource) with secrets redacted: for goldens, logs, debug endpoints. */
export function dumpResources(resources: EnvoyResources): JsonObject {
  return Object.fromEntries(
    RESOURCE_ORDER.map((type) => {
      const redact = (name: string, r: JsonObject): JsonObject => (type === TYPE_URLS.extensionConfig && name === AUTHN_FILTER ? redactAuthnConfig(r) : redactResource(r));
      return [type, Object.fromEntries([...resourcesByType(resources, type)].map(([name, r]) => [name, redact(name, r)]))];
    }),
  );
}
