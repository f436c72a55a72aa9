// Small builders for IR fixtures: defaults match the CRDs' defaults, tests state only what matters.
import fs from 'node:fs';
import path from 'node:path';
import {
  RELEASE, SecretValue, parseBackendPath, parsePathTemplate, serviceClusterName, urlClusterName,
  type ApiGroupIR, type BoundDomainIR, type DownstreamTlsIR, type EndpointIR, type ForwardBackendIR, type GatewayIR,
  type MockBackendIR, type PathTemplate, type RouteIR, type ServiceClusterIR, type SourceRef, type UpstreamScheme, type UrlClusterIR,
  type BackendPath,
} from '../../ir';

const NS = 'shop';
const BASE_DOMAIN = 'apis.example.test';
const TLS_DIR = path.join(__dirname, '..', '..', '..', 'testdata', 'tls');

export const source = (kind: SourceRef['kind'], name: string, namespace = NS): SourceRef => ({ kind, namespace, name });

export function frontendPath(text: string): PathTemplate {
  const parsed = parsePathTemplate(text);
  if (!parsed.ok) throw new Error(`bad fixture path ${text}: ${parsed.reason}`);
  return parsed.value;
}

export function backendPath(text: string): BackendPath {
  const parsed = parseBackendPath(text);
  if (!parsed.ok) throw new Error(`bad fixture backend path ${text}: ${parsed.reason}`);
  return parsed.value;
}

/** Partial fixture fields; `undefined` removes a default (e.g. no HTTP listener). */
export type Loose<T> = { readonly [K in keyof T]?: T[K] | undefined };

function compact<T>(value: Loose<T>): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

export function gateway(parts: Loose<GatewayIR> = {}): GatewayIR {
  return compact<GatewayIR>({
    source: { kind: 'GatewayConfig', namespace: 'turnpike-system', name: 'turnpike' },
    http: { address: '0.0.0.0', port: 8080 },
    trustedProxyHops: 0,
    groups: [],
    clusters: [],
    ...parts,
  });
}

export function group(name: string, routes: readonly RouteIR[], parts: Loose<ApiGroupIR> = {}): ApiGroupIR {
  return compact<ApiGroupIR>({ source: source('ApiGroup', name), subdomain: `${name}.${NS}.${BASE_DOMAIN}`, domains: [], routes, ...parts });
}

export function domain(hostname: string, parts: Partial<BoundDomainIR> = {}): BoundDomainIR {
  return { hostname, minTlsVersion: 'TLSv1.2', httpsRedirect: false, ...parts };
}

/** The committed test-only certificate, as if read from the Secret `secretName`. */
export function tls(secretName: string): DownstreamTlsIR {
  return {
    source: source('Secret', secretName),
    certificateChain: fs.readFileSync(path.join(TLS_DIR, 'test-only.crt'), 'utf8'),
    privateKey: new SecretValue(fs.readFileSync(path.join(TLS_DIR, 'test-only.key'), 'utf8')),
  };
}

export function forward(cluster: string, backend: string, parts: Partial<ForwardBackendIR> = {}): ForwardBackendIR {
  return { kind: 'Forward', cluster, path: backendPath(backend), timeoutMs: 5000, retries: -1, ...parts };
}

export function mock(status: number, body: string, headers: Readonly<Record<string, string>> = {}): MockBackendIR {
  return { kind: 'Mock', status, body, headers: Object.entries(headers).map(([name, value]) => ({ name, value })) };
}

export interface RouteFixture extends Partial<Omit<RouteIR, 'path'>> {
  readonly path: string;
}

/** A route of Api `api`, RELEASE, GET, Exact, BOTH, auth NONE, no CORS unless stated. */
export function route(api: string, fixture: RouteFixture): RouteIR {
  return {
    source: source('Api', api),
    environment: RELEASE,
    method: 'GET',
    match: 'Exact',
    protocol: 'BOTH',
    auth: { type: 'NONE' },
    cors: false,
    backend: mock(200, 'ok'),
    ...fixture,
    path: frontendPath(fixture.path),
  };
}

export function serviceCluster(name: string, port: number, endpoints: readonly EndpointIR[], scheme: UpstreamScheme = 'http'): ServiceClusterIR {
  const service = source('Service', name);
  return { kind: 'Service', name: serviceClusterName(service, port, scheme), source: service, port, scheme, endpoints };
}

export function urlCluster(groupName: string, scheme: UpstreamScheme, host: string, port: number): UrlClusterIR {
  const owner = source('ApiGroup', groupName);
  return { kind: 'Url', name: urlClusterName(owner, scheme, host, port), source: owner, scheme, host, port };
}
