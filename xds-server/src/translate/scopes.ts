// Scoped RDS: each HCM picks a group's RouteConfiguration by a scope key built from the request,
// so an edit re-ships (and Envoy rebuilds) one group's routes instead of the whole route table.
//
// Key = (host without port, scheme). The host selects the group (`Host: a.example.com:8443` selects
// a.example.com, and the Host header itself stays as sent: callers sign it). The scheme keeps the
// sides apart: Envoy subscribes every HCM to all ScopedRouteConfigurations (wildcard), so the http
// listener sees the https scopes too; each HCM overwrites :scheme with its own side first
// (hcm.ts), so a caller cannot reach the other side's routes by sending `:scheme`. Scope keys are
// exact, case-sensitive strings: hostnames in the IR are lowercase, and a caller sending an
// upper-case Host gets no scope, i.e. 404 APIG.0101 (docs/reference/apigroup.md).
import { ADS, type JsonObject } from './json';
import type { Side } from './routes';

/** HttpConnectionManager.scoped_routes for one listener side. */
export function scopedRoutes(side: Side): JsonObject {
  return {
    name: side,
    scope_key_builder: {
      fragments: [
        { header_value_extractor: { name: ':authority', element_separator: ':', index: 0 } },
        { header_value_extractor: { name: ':scheme', index: 0 } },
      ],
    },
    rds_config_source: ADS,
    scoped_rds: { scoped_rds_config_source: ADS },
  };
}

/** `<side>/<host>`: unique across both sides, as Envoy's wildcard subscription needs. */
function scopeName(side: Side, host: string): string {
  return `${side}/${host}`;
}

/**
 * The scope sending `host` on `side` to the RouteConfiguration `routeConfig` (ScopedRouteConfiguration
 * has no metadata: the route configuration it names carries the group's source).
 */
export function buildScope(side: Side, host: string, routeConfig: string): JsonObject {
  return {
    name: scopeName(side, host),
    route_configuration_name: routeConfig,
    key: { fragments: [{ string_key: host }, { string_key: side }] },
  };
}
