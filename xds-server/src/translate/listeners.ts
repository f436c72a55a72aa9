// Listeners (LDS): plain HTTP, and HTTPS with one SNI filter chain per bound domain with TLS.
import type { BoundDomainIR, DownstreamTlsIR, GatewayIR, HttpsListenerIR, TlsVersion } from '../ir';
import { httpConnectionManager } from './hcm';
import { ADS, byString, typed, type JsonObject } from './json';
import { sourceMetadata } from './metadata';
import { secretName } from './secrets';

const TLS_VERSION: Readonly<Record<TlsVersion, string>> = { 'TLSv1.2': 'TLSv1_2', 'TLSv1.3': 'TLSv1_3' };

function address(host: string, port: number): JsonObject {
  return { socket_address: { address: host, port_value: port } };
}

function downstreamTls(tls: DownstreamTlsIR, minVersion: TlsVersion): JsonObject {
  return {
    name: 'envoy.transport_sockets.tls',
    typed_config: typed('envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext', {
      common_tls_context: {
        tls_params: { tls_minimum_protocol_version: TLS_VERSION[minVersion] },
        // The certificate and key come over SDS, by name, so a rotation touches no listener.
        tls_certificate_sds_secret_configs: [{ name: secretName(tls), sds_config: ADS }],
        alpn_protocols: ['h2', 'http/1.1'],
      },
    }),
  };
}

export function buildHttpListener(ir: GatewayIR): JsonObject | undefined {
  if (ir.http === undefined) return undefined;
  return {
    name: 'http',
    address: address(ir.http.address, ir.http.port),
    filter_chains: [{ filters: [httpConnectionManager(ir, 'http')] }],
    metadata: sourceMetadata(ir.source),
  };
}

/** Bound domains with a certificate, with their group, sorted by hostname. */
function tlsDomains(ir: GatewayIR): { readonly domain: BoundDomainIR; readonly tls: DownstreamTlsIR; readonly group: GatewayIR['groups'][number] }[] {
  return ir.groups
    .flatMap((group) => group.domains.flatMap((domain) => (domain.tls === undefined ? [] : [{ domain, tls: domain.tls, group }])))
    .sort((a, b) => byString(a.domain.hostname, b.domain.hostname));
}

function defaultChain(ir: GatewayIR, https: HttpsListenerIR, hcm: JsonObject): JsonObject | undefined {
  if (https.defaultTls === undefined) return undefined;
  return {
    name: 'default',
    transport_socket: downstreamTls(https.defaultTls, 'TLSv1.2'),
    filters: [hcm],
    metadata: sourceMetadata(ir.source),
  };
}

/** HTTPS listener, or undefined when there is no certificate to serve. */
export function buildHttpsListener(ir: GatewayIR): JsonObject | undefined {
  const https = ir.https;
  if (https === undefined) return undefined;
  // One HCM object shared by every chain: they are identical, and a world has up to 5 per group.
  const hcm = httpConnectionManager(ir, 'https');
  const chains = tlsDomains(ir).map(({ domain, tls, group }) => ({
    name: domain.hostname,
    filter_chain_match: { server_names: [domain.hostname] },
    transport_socket: downstreamTls(tls, domain.minTlsVersion),
    filters: [hcm],
    metadata: sourceMetadata(group.source),
  }));
  const fallback = defaultChain(ir, https, hcm);
  if (chains.length === 0 && fallback === undefined) return undefined;
  return {
    name: 'https',
    address: address(https.address, https.port),
    // SNI selects the filter chain, so the ClientHello must be read first.
    listener_filters: [{ name: 'envoy.filters.listener.tls_inspector', typed_config: typed('envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector') }],
    filter_chains: chains,
    ...(fallback === undefined ? {} : { default_filter_chain: fallback }),
    metadata: sourceMetadata(ir.source),
  };
}

/** Every certificate the HTTPS listener serves (for SDS); none means no HTTPS listener. */
export function servedCertificates(ir: GatewayIR): DownstreamTlsIR[] {
  if (ir.https === undefined) return [];
  const fallback = ir.https.defaultTls;
  return [...tlsDomains(ir).map((entry) => entry.tls), ...(fallback === undefined ? [] : [fallback])];
}
