// References between xDS resources, read from the messages of a resource as the registry encoded
// them (proto field names, whatever JSON names the input used; each message inside an Any on its
// own). They drive the validation gate: a snapshot whose resources point at a missing cluster,
// route configuration (from an HCM or a scope), load assignment or secret (delivered over ADS) is
// never served.
import { isJsonObject, TYPE_URLS, type EncodedMessage, type JsonPath } from '../proto';

export interface Reference {
  /** Type URL of the referenced resource. */
  readonly typeUrl: string;
  readonly name: string;
  /** Where the reference sits in the referring resource. */
  readonly path: string;
}

type Obj = Readonly<Record<string, unknown>>;

const AGGREGATE_CLUSTER = '.envoy.extensions.clusters.aggregate.v3.ClusterConfig';
/** envoy.config.cluster.v3.Cluster.DiscoveryType.EDS (enums are numbers in the encoded form). */
const DISCOVERY_TYPE_EDS = 3;

function isAds(configSource: unknown): boolean {
  return isJsonObject(configSource) && configSource['ads'] !== undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `tail` under the rendered path `base`. */
function join(base: string, tail: string): string {
  return base === '' ? tail : `${base}.${tail}`;
}

/** A reference at `tail` under `at` (rendered only now: most objects reference nothing). */
function add(out: Reference[], typeUrl: string, name: string | undefined, at: JsonPath, tail: string): void {
  if (name !== undefined) out.push({ typeUrl, name, path: join(at.withoutAnys(), tail) });
}

/** References held directly by one JSON object (not its children). */
function objectReferences(obj: Obj, at: JsonPath, out: Reference[]): void {
  const grpc = obj['envoy_grpc'];
  if (isJsonObject(grpc)) add(out, TYPE_URLS.cluster, str(grpc['cluster_name']), at, 'envoy_grpc.cluster_name');
  // RouteAction.cluster, RequestMirrorPolicy.cluster, TcpProxy.cluster, HttpUri.cluster.
  add(out, TYPE_URLS.cluster, str(obj['cluster']), at, 'cluster');
  add(out, TYPE_URLS.cluster, str(obj['collector_cluster']), at, 'collector_cluster');
  const weighted = obj['weighted_clusters'];
  if (isJsonObject(weighted) && Array.isArray(weighted['clusters'])) {
    (weighted['clusters'] as unknown[]).forEach((c, i) => {
      if (isJsonObject(c)) add(out, TYPE_URLS.cluster, str(c['name']), at, `weighted_clusters.clusters[${i}].name`);
    });
  }
  const rds = obj['rds'];
  if (isJsonObject(rds) && isAds(rds['config_source'])) {
    add(out, TYPE_URLS.routeConfiguration, str(rds['route_config_name']), at, 'rds.route_config_name');
  }
  // SdsSecretConfig: {name, sds_config}; TLS contexts hold several.
  if (isAds(obj['sds_config'])) add(out, TYPE_URLS.secret, str(obj['name']), at, 'name');
}

function walk(value: unknown, at: JsonPath, out: Reference[]): void {
  if (Array.isArray(value)) {
    (value as readonly unknown[]).forEach((item, i) => { walk(item, at.index(i), out); });
    return;
  }
  if (!isJsonObject(value)) return;
  const obj = value as Obj;
  objectReferences(obj, at, out);
  for (const key of Object.keys(obj)) {
    const child = obj[key];
    // Scalars hold no reference: no path for them.
    if (typeof child === 'object' && child !== null) walk(child, at.key(key), out);
  }
}

/** An aggregate cluster's configuration names its clusters. */
function aggregateReferences(config: Obj, at: JsonPath): Reference[] {
  const clusters = config['clusters'];
  if (!Array.isArray(clusters)) return [];
  return (clusters as unknown[]).flatMap((c, i) => {
    const name = str(c);
    return name === undefined ? [] : [{ typeUrl: TYPE_URLS.cluster, name, path: join(at.withoutAnys(), `clusters[${i}]`) }];
  });
}

function edsReference(cluster: Obj): Reference[] {
  const eds = cluster['eds_cluster_config'];
  if (cluster['type'] !== DISCOVERY_TYPE_EDS || !isJsonObject(eds) || !isAds(eds['eds_config'])) return [];
  const name = str(eds['service_name']) ?? str(cluster['name']);
  return name === undefined ? [] : [{ typeUrl: TYPE_URLS.clusterLoadAssignment, name, path: 'eds_cluster_config' }];
}

/**
 * A scope names its RouteConfiguration; where from is the HCM's scoped_routes.rds_config_source,
 * which Turnpike always sets to ADS. (HCM scoped_routes itself names no resource: Envoy subscribes
 * to every ScopedRouteConfiguration.)
 */
function scopeReference(scope: Obj): Reference[] {
  const name = str(scope['route_configuration_name']);
  return name === undefined ? [] : [{ typeUrl: TYPE_URLS.routeConfiguration, name, path: 'route_configuration_name' }];
}

/**
 * Every reference one resource makes to another xDS resource delivered over ADS, from its messages
 * (ProtoRegistry.encodeVisiting: the resource first). Only Envoy types are walked (other registered
 * types, such as RateLimitConfig, have no cross-resource references).
 */
export function referencesOf(typeUrl: string, messages: readonly EncodedMessage[]): Reference[] {
  if (!typeUrl.startsWith('type.googleapis.com/envoy.')) return [];
  const out: Reference[] = [];
  for (const message of messages) {
    walk(message.plain, message.at, out);
    if (message.typeName === AGGREGATE_CLUSTER) out.push(...aggregateReferences(message.plain, message.at));
  }
  const resource = messages[0]?.plain ?? {};
  if (typeUrl === TYPE_URLS.cluster) out.push(...edsReference(resource));
  if (typeUrl === TYPE_URLS.scopedRouteConfiguration) out.push(...scopeReference(resource));
  return out;
}
