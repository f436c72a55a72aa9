// IR → Envoy v3 resources, grouped by xDS type URL. Pure: no I/O, clock or randomness.
import type { GatewayIR } from '../ir';
import { buildCluster } from './clusters';
import { authzCluster } from './ext-authz';
import { buildLoadAssignment } from './endpoints';
import { checkGateway, indexClusters } from './invariants';
import { byString, stringField, type JsonObject } from './json';
import { buildHttpListener, buildHttpsListener, servedCertificates } from './listeners';
import { redactResource } from './redact';
import { mockCluster, usesMockCluster } from './mock-reply';
import { rateLimitCluster } from './ratelimit';
import { buildRouteConfiguration } from './route-config';
import { buildSecrets } from './secrets';
import { CLUSTER_TYPE, ENDPOINT_TYPE, LISTENER_TYPE, RESOURCE_TYPES, ROUTE_TYPE, SECRET_TYPE, type ResourceTypeUrl } from './type-urls';

export { AUTHZ_APP_TYPE, AUTHZ_SIGNATURE_KEY_TYPE, AUTHZ_TYPES, dumpAuthzResources, translateAuthz, type AuthzResources } from './authz-config';
export { TranslateError, type TranslateErrorCode } from './errors';
export { AUTHZ_CLUSTER, AuthzContext, EXT_AUTHZ_FILTER, MAX_SIGNED_BODY_BYTES } from './ext-authz';
export { METADATA_NAMESPACE } from './metadata';
export { pathRouting } from './path-match';
export { RATELIMIT_CLUSTER, RATELIMIT_DOMAIN } from './ratelimit';
export { buildRateLimitConfig, RATELIMIT_CONFIG_NAME, RATELIMIT_CONFIG_TYPE, translateRateLimitConfig } from './ratelimit-config';
export { redactResource } from './redact';
export * from './type-urls';

/**
 * Type URL → resource name → resource (proto3 JSON, snake_case, nested Anys with "@type"). Every
 * type URL of RESOURCE_TYPES is present, in that order; names iterate sorted.
 */
export type EnvoyResources = ReadonlyMap<ResourceTypeUrl, ReadonlyMap<string, JsonObject>>;

const NONE: ReadonlyMap<string, JsonObject> = new Map();

/** The resources of one type (empty when none). */
export function resourcesByType(resources: EnvoyResources, type: ResourceTypeUrl): ReadonlyMap<string, JsonObject> {
  return resources.get(type) ?? NONE;
}

function byName(resources: readonly JsonObject[], key: 'name' | 'cluster_name' = 'name'): ReadonlyMap<string, JsonObject> {
  const named = resources.map((resource): [string, JsonObject] => [stringField(resource, key), resource]);
  return new Map(named.sort(([a], [b]) => byString(a, b)));
}

/** Translates the whole IR; throws TranslateError when the IR breaks its invariants. */
export function translateIR(ir: GatewayIR): EnvoyResources {
  checkGateway(ir);
  const clusters = indexClusters(ir);
  const https = buildHttpsListener(ir);
  const http = buildHttpListener(ir);
  const listeners = [http, https].filter((l): l is JsonObject => l !== undefined);
  const routes = [
    ...(http === undefined ? [] : [buildRouteConfiguration(ir, 'http', clusters)]),
    ...(https === undefined ? [] : [buildRouteConfiguration(ir, 'https', clusters)]),
  ];
  const services = ir.clusters.flatMap((c) => (c.kind === 'Service' ? [c] : []));
  const rateLimit = ir.rateLimit === undefined ? [] : [rateLimitCluster(ir.rateLimit.service, ir.source)];
  const mocks = usesMockCluster(ir) ? [mockCluster(ir.source)] : [];
  const byType: Readonly<Record<ResourceTypeUrl, ReadonlyMap<string, JsonObject>>> = {
    [LISTENER_TYPE]: byName(listeners),
    [ROUTE_TYPE]: byName(routes),
    [CLUSTER_TYPE]: byName([...ir.clusters.map(buildCluster), ...(ir.authz?.service === undefined ? [] : [authzCluster(ir.authz.service, ir.source)]), ...rateLimit, ...mocks]),
    [ENDPOINT_TYPE]: byName(services.map(buildLoadAssignment), 'cluster_name'),
    [SECRET_TYPE]: byName(https === undefined ? [] : buildSecrets(servedCertificates(ir))),
  };
  return new Map(RESOURCE_TYPES.map((type) => [type, byType[type]]));
}

/** A JSON-ready dump (type URL → name → resource) with secrets redacted: for goldens, logs, debug endpoints. */
export function dumpResources(resources: EnvoyResources): JsonObject {
  return Object.fromEntries(
    RESOURCE_TYPES.map((type) => [type, Object.fromEntries([...resourcesByType(resources, type)].map(([name, r]) => [name, redactResource(r)]))]),
  );
}
