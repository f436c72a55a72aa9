// References between xDS resources, read from canonical JSON (proto field names). They drive the
// validation gate: a snapshot whose resources point at a missing cluster, route configuration
// (from an HCM or a scope), load assignment or secret (delivered over ADS) is never served.
import { isJsonObject, TYPE_URLS, type JsonObject, type JsonValue } from '../proto';

export interface Reference {
  /** Type URL of the referenced resource. */
  readonly typeUrl: string;
  readonly name: string;
  /** Where the reference sits in the referring resource. */
  readonly path: string;
}

type Obj = Readonly<Record<string, JsonValue>>;

function isAds(configSource: JsonValue | undefined): boolean {
  return isJsonObject(configSource) && configSource['ads'] !== undefined;
}

function str(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function add(out: Reference[], typeUrl: string, name: string | undefined, path: string): void {
  if (name !== undefined) out.push({ typeUrl, name, path });
}

/** References held directly by one JSON object (not its children). */
function objectReferences(obj: Obj, path: string, out: Reference[]): void {
  const grpc = obj['envoy_grpc'];
  if (isJsonObject(grpc)) add(out, TYPE_URLS.cluster, str(grpc['cluster_name']), `${path}.envoy_grpc.cluster_name`);
  // RouteAction.cluster, RequestMirrorPolicy.cluster, TcpProxy.cluster, HttpUri.cluster.
  add(out, TYPE_URLS.cluster, str(obj['cluster']), `${path}.cluster`);
  add(out, TYPE_URLS.cluster, str(obj['collector_cluster']), `${path}.collector_cluster`);
  const weighted = obj['weighted_clusters'];
  if (isJsonObject(weighted) && Array.isArray(weighted['clusters'])) {
    (weighted['clusters'] as JsonValue[]).forEach((c, i) => {
      if (isJsonObject(c)) add(out, TYPE_URLS.cluster, str(c['name']), `${path}.weighted_clusters.clusters[${i}].name`);
    });
  }
  if (obj['@type'] === 'type.googleapis.com/envoy.extensions.clusters.aggregate.v3.ClusterConfig' && Array.isArray(obj['clusters'])) {
    (obj['clusters'] as JsonValue[]).forEach((c, i) => { add(out, TYPE_URLS.cluster, str(c ?? undefined), `${path}.clusters[${i}]`); });
  }
  const rds = obj['rds'];
  if (isJsonObject(rds) && isAds(rds['config_source'])) {
    add(out, TYPE_URLS.routeConfiguration, str(rds['route_config_name']), `${path}.rds.route_config_name`);
  }
  // SdsSecretConfig: {name, sds_config}; TLS contexts hold several.
  if (isAds(obj['sds_config'])) add(out, TYPE_URLS.secret, str(obj['name']), `${path}.name`);
}

function walk(value: JsonValue, path: string, out: Reference[]): void {
  if (Array.isArray(value)) {
    (value as readonly JsonValue[]).forEach((item, i) => { walk(item, `${path}[${i}]`, out); });
    return;
  }
  if (!isJsonObject(value)) return;
  const obj = value as Obj;
  objectReferences(obj, path, out);
  for (const [key, child] of Object.entries(obj)) walk(child, path === '' ? key : `${path}.${key}`, out);
}

function edsReference(cluster: JsonObject): Reference[] {
  const eds = cluster['eds_cluster_config'];
  if (cluster['type'] !== 'EDS' || !isJsonObject(eds) || !isAds(eds['eds_config'])) return [];
  const name = str(eds['service_name']) ?? str(cluster['name']);
  return name === undefined ? [] : [{ typeUrl: TYPE_URLS.clusterLoadAssignment, name, path: 'eds_cluster_config' }];
}

/**
 * A scope names its RouteConfiguration; where from is the HCM's scoped_routes.rds_config_source,
 * which Turnpike always sets to ADS. (HCM scoped_routes itself names no resource: Envoy subscribes
 * to every ScopedRouteConfiguration.)
 */
function scopeReference(scope: JsonObject): Reference[] {
  const name = str(scope['route_configuration_name']);
  return name === undefined ? [] : [{ typeUrl: TYPE_URLS.routeConfiguration, name, path: 'route_configuration_name' }];
}

/**
 * Every reference one resource makes to another xDS resource delivered over ADS. Only Envoy types
 * are walked (other registered types, such as RateLimitConfig, have no cross-resource references).
 */
export function referencesOf(typeUrl: string, json: JsonObject): Reference[] {
  if (!typeUrl.startsWith('type.googleapis.com/envoy.')) return [];
  const out: Reference[] = [];
  walk(json, '', out);
  if (typeUrl === TYPE_URLS.cluster) out.push(...edsReference(json));
  if (typeUrl === TYPE_URLS.scopedRouteConfiguration) out.push(...scopeReference(json));
  return out.map((r) => (r.path.startsWith('.') ? { ...r, path: r.path.slice(1) } : r));
}
