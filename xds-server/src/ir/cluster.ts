import type { SourceRef } from './source';

export type UpstreamScheme = 'http' | 'https';

/** One ready endpoint of a Service (from its EndpointSlices; not-ready ones are left out). */
export interface EndpointIR {
  /** IPv4 or IPv6 address. */
  readonly address: string;
  readonly port: number;
}

/** A Kubernetes Service: an EDS cluster whose endpoints the operator resolves. */
export interface ServiceClusterIR {
  readonly kind: 'Service';
  readonly name: string;
  /** The Service. */
  readonly source: SourceRef;
  /** The Service port the Api names (endpoints carry the target port). */
  readonly port: number;
  readonly scheme: UpstreamScheme;
  /** Sorted or not: the translator sorts. Empty is valid (callers get 502). */
  readonly endpoints: readonly EndpointIR[];
}

/**
 * An external address (Huawei `url_domain`) with `#var#` already substituted for one environment.
 * Shared by the Apis of one group that name the same scheme, host and port.
 */
export interface UrlClusterIR {
  readonly kind: 'Url';
  readonly name: string;
  /** The ApiGroup whose Apis use it. */
  readonly source: SourceRef;
  readonly scheme: UpstreamScheme;
  /** DNS name (resolved by Envoy), IPv4, or IPv6 without brackets. */
  readonly host: string;
  readonly port: number;
}

export type ClusterIR = ServiceClusterIR | UrlClusterIR;

/** The name the operator gives a Service cluster: `svc/<namespace>/<name>/<port>`. */
export function serviceClusterName(service: Pick<SourceRef, 'namespace' | 'name'>, port: number, scheme: UpstreamScheme = 'http'): string {
  return `svc/${service.namespace}/${service.name}/${port}${scheme === 'https' ? '/https' : ''}`;
}

/** The name the operator gives a URL cluster: `url/<group ns>/<group>/<scheme>/<host>/<port>`. */
export function urlClusterName(group: Pick<SourceRef, 'namespace' | 'name'>, scheme: UpstreamScheme, host: string, port: number): string {
  return `url/${group.namespace}/${group.name}/${scheme}/${host}/${port}`;
}
