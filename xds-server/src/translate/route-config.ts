// RouteConfigurations (RDS): one per ApiGroup, serving both listener sides, reached through the
// scopes of the group's hosts on each side (scopes.ts). An edit to one Api re-ships one group's
// routes, not the whole route table, and Envoy builds them once, not once per side: the routes are
// the same on both (routes.ts). A group whose domains redirect HTTP to HTTPS has a second, small
// one that the HTTP scopes of those domains point at.
import type { ApiGroupIR, ClusterIR } from '../ir';
import { byString, type JsonObject } from './json';
import { LATENCY_HEADER, REPLY_CODE_HEADER, STAGE_HEADER, UPSTREAM_LATENCY_HEADER } from './lua';
import { sourceMetadata } from './metadata';
import { policyContext, type RateLimitFlags } from './policy-routes';
import { compareRoutes } from './route-order';
import { buildRoutes, type Side } from './routes';
import { buildScope } from './scopes';

/** Timings for X-Apig-Latency / X-Apig-Upstream-Latency; the hygiene filter publishes or drops them. */
const TIMING_HEADERS: readonly JsonObject[] = [
  // At response-header time %DURATION% is "receipt → now", i.e. until the backend's headers.
  { header: { key: LATENCY_HEADER, value: '%DURATION%' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
  // Empty (so not added) for mocks and errors that never reached a backend.
  { header: { key: UPSTREAM_LATENCY_HEADER, value: '%COMMON_DURATION(US_TX_BEG:US_RX_BEG:ms)%' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
];

/** Everything a group's resources are built from besides the group (group-memo.ts compares it). */
export interface GroupInputs {
  /** The listener sides that exist, HTTP first. */
  readonly sides: readonly Side[];
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

/** A group's resources on both sides; empty when the group has no host on either. */
export interface GroupResources {
  readonly routeConfigs: readonly JsonObject[];
  readonly scopes: readonly JsonObject[];
}

function groupName(group: ApiGroupIR): string {
  return `${group.source.namespace}/${group.source.name}`;
}

/**
 * `<side>/<ns>/<group>`, after the first listener side (HTTP when there is one). When each side had
 * its own configuration the HTTP one had this name, so an upgrade re-points the HTTPS scopes at a
 * configuration Envoy already holds: no request meets a scope whose routes have not arrived.
 */
function routeConfigName(sides: readonly Side[], group: ApiGroupIR): string {
  return `${sides[0] ?? 'http'}/${groupName(group)}`;
}

function redirectDomains(group: ApiGroupIR): string[] {
  return group.domains.filter((d) => d.httpsRedirect).map((d) => d.hostname).sort(byString);
}

/** The virtual host of the group's domains that redirect HTTP to HTTPS (their HTTP scopes' configuration). */
function redirectHost(group: ApiGroupIR, domains: readonly string[], publicPort: number): JsonObject {
  const name = `${groupName(group)}/https-redirect`;
  return {
    name,
    domains,
    routes: [{
      name,
      match: { prefix: '/' },
      // 301 as Huawei's is_http_redirect_to_https; the port only when not 443.
      redirect: publicPort === 443 ? { https_redirect: true } : { https_redirect: true, port_redirect: publicPort },
      metadata: sourceMetadata(group.source),
    }],
    metadata: sourceMetadata(group.source),
  };
}

/** A RouteConfiguration of the group: its virtual hosts and what every configuration of a group does. */
function routeConfiguration(name: string, group: ApiGroupIR, host: JsonObject): JsonObject {
  return {
    name,
    virtual_hosts: [host],
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

/** The group's one virtual host: every host either side serves (the scopes decide which side serves which). */
function virtualHost(group: ApiGroupIR, domains: readonly string[], inputs: GroupInputs): JsonObject {
  const context = { clusters: inputs.clusters, authn: inputs.authn, group: group.source, policy: policyContext(inputs.rateLimit, group) };
  const routes = [...group.routes].sort(compareRoutes).flatMap((route) => buildRoutes(route, context));
  return { name: groupName(group), domains, routes, metadata: sourceMetadata(group.source) };
}

/** One group's RouteConfiguration(s) and the scopes of its hosts on each side pointing at them. */
export function buildGroupResources(group: ApiGroupIR, inputs: GroupInputs): GroupResources {
  const bySide = inputs.sides.map((side) => [side, groupHostnames(group, side, inputs.subdomainTls)] as const);
  const redirected = new Set(inputs.sides.includes('http') ? redirectDomains(group) : []);
  const name = routeConfigName(inputs.sides, group);
  const redirectName = `https-redirect/${groupName(group)}`;
  const scopes = bySide.flatMap(([side, hosts]) => hosts.map((host) => buildScope(side, host, side === 'http' && redirected.has(host) ? redirectName : name)));
  const routeConfigs: JsonObject[] = [];
  // Every host some scope sends here; hosts served on one side only are reached on that side only.
  const served = [...new Set(bySide.flatMap(([side, hosts]) => hosts.filter((host) => side !== 'http' || !redirected.has(host))))].sort(byString);
  if (served.length > 0) routeConfigs.push(routeConfiguration(name, group, virtualHost(group, served, inputs)));
  if (redirected.size > 0) routeConfigs.push(routeConfiguration(redirectName, group, redirectHost(group, [...redirected], inputs.publicPort)));
  return { routeConfigs, scopes };
}
