// RouteConfigurations (RDS): one per ApiGroup and listener side, named `<side>/<ns>/<group>`, each
// reached through the scopes of the group's hosts (scopes.ts). An edit to one Api re-ships one
// group's routes on each side, not the whole route table.
import type { ApiGroupIR, ClusterIR } from '../ir';
import { byString, type JsonObject } from './json';
import { LATENCY_HEADER, REPLY_CODE_HEADER, STAGE_HEADER, UPSTREAM_LATENCY_HEADER } from './lua';
import { sourceMetadata } from './metadata';
import { policyContext, type RateLimitFlags } from './policy-routes';
import { compareRoutes } from './route-order';
import { buildRoute, type Side } from './routes';
import { buildScope } from './scopes';

/** Timings for X-Apig-Latency / X-Apig-Upstream-Latency; the hygiene filter publishes or drops them. */
const TIMING_HEADERS: readonly JsonObject[] = [
  // At response-header time %DURATION% is "receipt → now", i.e. until the backend's headers.
  { header: { key: LATENCY_HEADER, value: '%DURATION%' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
  // Empty (so not added) for mocks and errors that never reached a backend.
  { header: { key: UPSTREAM_LATENCY_HEADER, value: '%COMMON_DURATION(US_TX_BEG:US_RX_BEG:ms)%' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
];

/** Everything a group's resources on one side are built from besides the group (group-memo.ts compares it). */
export interface GroupInputs {
  readonly side: Side;
  /** The HCM runs the authn filter. */
  readonly authn: boolean;
  readonly rateLimit: RateLimitFlags;
  /** HTTPS public port (HTTP→HTTPS redirects). */
  readonly publicPort: number;
  /** The HTTPS listener has a certificate for the default subdomains (HttpsListenerIR.defaultTls). */
  readonly subdomainTls: boolean;
  /** Clusters by name; routes read only the ones they forward to (see clusterFingerprint). */
  readonly clusters: ReadonlyMap<string, ClusterIR>;
}

/** A group's resources on one side; empty when the group has no host there. */
export interface GroupResources {
  readonly routeConfigs: readonly JsonObject[];
  readonly scopes: readonly JsonObject[];
}

function groupName(group: ApiGroupIR): string {
  return `${group.source.namespace}/${group.source.name}`;
}

function routeConfigName(side: Side, group: ApiGroupIR): string {
  return `${side}/${groupName(group)}`;
}

function redirectHost(group: ApiGroupIR, publicPort: number): JsonObject | undefined {
  const domains = group.domains.filter((d) => d.httpsRedirect).map((d) => d.hostname).sort(byString);
  if (domains.length === 0) return undefined;
  return {
    name: `${groupName(group)}/https-redirect`,
    domains,
    routes: [{
      name: `${groupName(group)}/https-redirect`,
      match: { prefix: '/' },
      // 301 as Huawei's is_http_redirect_to_https; the port only when not 443.
      redirect: publicPort === 443 ? { https_redirect: true } : { https_redirect: true, port_redirect: publicPort },
      metadata: sourceMetadata(group.source),
    }],
    metadata: sourceMetadata(group.source),
  };
}

/**
 * The group's hosts a side serves, sorted. HTTP: the subdomain and every bound domain (those that
 * redirect answer with a 301). HTTPS: only bound domains with a certificate, and the subdomain when
 * the gateway has a certificate for subdomains, so a Host configured for plain HTTP is never served
 * over a TLS connection opened with another domain's SNI.
 */
function groupHostnames(group: ApiGroupIR, side: Side, subdomainTls = false): string[] {
  if (side === 'https') {
    const subdomain = subdomainTls && group.subdomain !== undefined ? [group.subdomain] : [];
    return [...subdomain, ...group.domains.filter((d) => d.tls !== undefined).map((d) => d.hostname)].sort(byString);
  }
  return [...(group.subdomain === undefined ? [] : [group.subdomain]), ...group.domains.map((d) => d.hostname)].sort(byString);
}

function virtualHosts(group: ApiGroupIR, inputs: GroupInputs): JsonObject[] {
  const { side } = inputs;
  const redirected = new Set(group.domains.filter((d) => side === 'http' && d.httpsRedirect).map((d) => d.hostname));
  const domains = groupHostnames(group, side, inputs.subdomainTls).filter((host) => !redirected.has(host));
  const hosts: JsonObject[] = [];
  if (domains.length > 0) {
    const context = { side, clusters: inputs.clusters, authn: inputs.authn, group: group.source, policy: policyContext(inputs.rateLimit, group) };
    const routes = [...group.routes].sort(compareRoutes).map((route) => buildRoute(route, context));
    hosts.push({ name: groupName(group), domains, routes, metadata: sourceMetadata(group.source) });
  }
  const redirect = side === 'http' ? redirectHost(group, inputs.publicPort) : undefined;
  if (redirect !== undefined) hosts.push(redirect);
  return hosts;
}

/** One group's RouteConfiguration on one side and the scopes of its hosts pointing at it. */
export function buildGroupResources(group: ApiGroupIR, inputs: GroupInputs): GroupResources {
  const hostnames = groupHostnames(group, inputs.side, inputs.subdomainTls);
  if (hostnames.length === 0) return { routeConfigs: [], scopes: [] };
  const name = routeConfigName(inputs.side, group);
  const routeConfig: JsonObject = {
    name,
    virtual_hosts: virtualHosts(group, inputs),
    // The scope key already ignores the port; virtual hosts must too (`Host: api.example.com:8443`).
    ignore_port_in_host_matching: true,
    response_headers_to_add: TIMING_HEADERS,
    // A backend cannot pose as the gateway in the access log's error_code (lua.ts). Local-reply
    // mappers add theirs after this removal.
    response_headers_to_remove: [REPLY_CODE_HEADER],
    // Routing's own header (stage.ts) is not the backend's business.
    request_headers_to_remove: [STAGE_HEADER],
    metadata: sourceMetadata(group.source),
  };
  return { routeConfigs: [routeConfig], scopes: hostnames.map((host) => buildScope(inputs.side, host, name)) };
}
