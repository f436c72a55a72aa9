// Host and address helpers for URL backends.
import type { UpstreamScheme, UrlClusterIR } from '../ir';

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** True for an IPv4 or (unbracketed) IPv6 literal: such hosts need no DNS. */
export function isIpAddress(host: string): boolean {
  return IPV4.test(host) || host.includes(':');
}

const DEFAULT_PORT: Readonly<Record<UpstreamScheme, number>> = { http: 80, https: 443 };

/** The Host header a URL backend expects: host, bracketed when IPv6, with a non-default port. */
export function hostHeader(cluster: UrlClusterIR): string {
  const host = cluster.host.includes(':') ? `[${cluster.host}]` : cluster.host;
  return cluster.port === DEFAULT_PORT[cluster.scheme] ? host : `${host}:${cluster.port}`;
}
