// RouteConfigurations (RDS): one per listener side, one virtual host per ApiGroup.
import { sourceKey, type ApiGroupIR, type ClusterIR, type GatewayIR } from '../ir';
import { byString, type JsonObject } from './json';
import { LATENCY_HEADER, UPSTREAM_LATENCY_HEADER } from './lua';
import { sourceMetadata } from './metadata';
import { policyContext, withPolicies } from './policy-routes';
import { compareRoutes } from './route-order';
import { buildRoute, type Side } from './routes';

/** Timings for X-Apig-Latency / X-Apig-Upstream-Latency; the hygiene filter publishes or drops them. */
const TIMING_HEADERS: readonly JsonObject[] = [
  // At response-header time %DURATION% is "receipt → now", i.e. until the backend's headers.
  { header: { key: LATENCY_HEADER, value: '%DURATION%' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
  // Empty (so not added) for mocks and errors that never reached a backend.
  { header: { key: UPSTREAM_LATENCY_HEADER, value: '%COMMON_DURATION(US_TX_BEG:US_RX_BEG:ms)%' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
];

function groupName(group: ApiGroupIR): string {
  return `${group.source.namespace}/${group.source.name}`;
}

function redirectHost(ir: GatewayIR, group: ApiGroupIR): JsonObject | undefined {
  const domains = group.domains.filter((d) => d.httpsRedirect).map((d) => d.hostname).sort(byString);
  if (domains.length === 0) return undefined;
  const port = ir.https?.publicPort ?? 443;
  return {
    name: `${groupName(group)}/https-redirect`,
    domains,
    routes: [{
      name: `${groupName(group)}/https-redirect`,
      match: { prefix: '/' },
      // 301 as Huawei's is_http_redirect_to_https; the port only when not 443.
      redirect: port === 443 ? { https_redirect: true } : { https_redirect: true, port_redirect: port },
      metadata: sourceMetadata(group.source),
    }],
    metadata: sourceMetadata(group.source),
  };
}

function groupHosts(ir: GatewayIR, group: ApiGroupIR, side: Side, clusters: ReadonlyMap<string, ClusterIR>): JsonObject[] {
  const bound = group.domains.filter((d) => side === 'https' || !d.httpsRedirect).map((d) => d.hostname);
  const domains = [...(group.subdomain === undefined ? [] : [group.subdomain]), ...bound].sort(byString);
  const hosts: JsonObject[] = [];
  if (domains.length > 0) {
    const authz = ir.authz?.service !== undefined;
    const policy = policyContext(ir, group);
    const routes = [...group.routes].sort(compareRoutes).flatMap((route) => withPolicies(buildRoute(route, { side, clusters, authz, group: group.source }), route, policy));
    hosts.push({ name: groupName(group), domains, routes, metadata: sourceMetadata(group.source) });
  }
  const redirect = side === 'http' ? redirectHost(ir, group) : undefined;
  if (redirect !== undefined) hosts.push(redirect);
  return hosts;
}

/** The RouteConfiguration named after its side (`http` or `https`). */
export function buildRouteConfiguration(ir: GatewayIR, side: Side, clusters: ReadonlyMap<string, ClusterIR>): JsonObject {
  const groups = [...ir.groups].sort((a, b) => byString(sourceKey(a.source), sourceKey(b.source)));
  return {
    name: side,
    virtual_hosts: groups.flatMap((group) => groupHosts(ir, group, side, clusters)),
    // `Host: api.example.com:8443` selects the api.example.com virtual host, and the Host header
    // itself stays as sent: callers sign it (SDK-HMAC-SHA256 signs host with its port).
    ignore_port_in_host_matching: true,
    response_headers_to_add: TIMING_HEADERS,
    metadata: sourceMetadata(ir.source),
  };
}
