/**
 * An Api's backend in one environment: a cluster to forward to (URL or Service) or a mock. User
 * mistakes (missing variables, Services, ports) come back as values with the reason to report.
 */
import {
  parseBackendPath,
  serviceClusterName,
  urlClusterName,
  type BackendIR,
  type ClusterIR,
  type EndpointIR,
  type SourceRef,
} from '@turnpike/xds-server';
import type { ApiBackend, ServiceBackend, UrlBackend } from '../api';
import { objectKey, type KubeObject, type ResourceSet } from '../resources/resourceset';
import type { GroupInfo } from './apigroup';
import { slicesOf } from './recording';
import { substitute, splitHostPort } from './variables';

export type Resolved =
  | { readonly ok: true; readonly backend: BackendIR; readonly cluster?: ClusterIR }
  | { readonly ok: false; readonly reason: 'EnvironmentNotFound' | 'ServiceNotFound' | 'Invalid'; readonly message: string };

const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_RETRIES = -1;

function missingVariables(missing: readonly string[], env: string, group: SourceRef): Resolved {
  const names = missing.map((m) => `#${m}#`).join(', ');
  return { ok: false, reason: 'EnvironmentNotFound', message: `variable ${names} is not defined in environment ${env} of ApiGroup ${group.name}` };
}

function forward(spec: ApiBackend, cluster: ClusterIR, path: string, env: string, group: GroupInfo): Resolved {
  const substituted = substitute(path, group.environments.get(env) ?? {});
  if (!substituted.ok) return missingVariables(substituted.missing, env, group.source);
  const parsed = parseBackendPath(substituted.value);
  if (!parsed.ok) return { ok: false, reason: 'Invalid', message: `backend path: ${parsed.reason}` };
  const backend: BackendIR = {
    kind: 'Forward',
    cluster: cluster.name,
    path: parsed.value,
    timeoutMs: spec.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retries: spec.retries ?? DEFAULT_RETRIES,
    ...(cluster.kind === 'Url' ? { hostRewrite: cluster.port === (cluster.scheme === 'https' ? 443 : 80) ? cluster.host : `${cluster.host}:${cluster.port}` } : {}),
    // Existence is checked by api.ts; the authn filter signs with the key's values (SignatureKey
    // status says whether they are usable; requests get 500 APIG.0705 while they are not).
    ...(spec.signatureKeyRef === undefined ? {} : { signatureKey: { kind: 'SignatureKey', namespace: group.source.namespace, name: spec.signatureKeyRef.name } }),
  };
  return { ok: true, backend, cluster };
}

function urlCluster(url: UrlBackend, env: string, group: GroupInfo): ClusterIR | Resolved {
  const host = substitute(url.host, group.environments.get(env) ?? {});
  if (!host.ok) return missingVariables(host.missing, env, group.source);
  const scheme = (url.scheme ?? 'HTTPS') === 'HTTPS' ? 'https' : 'http';
  const address = splitHostPort(host.value, scheme === 'https' ? 443 : 80);
  if (address === undefined) return { ok: false, reason: 'Invalid', message: `backend host "${host.value}" (environment ${env}) is not host[:port]` };
  const name = urlClusterName(group.source, scheme, address.host, address.port);
  return { kind: 'Url', name, source: group.source, scheme, host: address.host, port: address.port };
}

interface ServicePort { readonly name?: string; readonly port: number }

interface SlicePort { readonly name?: string; readonly port?: number }
interface SliceEndpoint { readonly addresses?: readonly string[]; readonly conditions?: { readonly ready?: boolean } }

function slicePort(slice: KubeObject, portName: string | undefined): number | undefined {
  if (slice.addressType !== 'IPv4' && slice.addressType !== 'IPv6') return undefined;
  const ports = (slice.ports ?? []) as readonly SlicePort[];
  return ports.find((p) => (p.name ?? '') === (portName ?? ''))?.port;
}

function readyEndpoints(set: ResourceSet, namespace: string, service: string, portName: string | undefined): EndpointIR[] {
  const endpoints: EndpointIR[] = [];
  for (const slice of slicesOf(set, namespace, service)) {
    const port = slicePort(slice, portName);
    if (port === undefined) continue;
    // EndpointSlice semantics: a missing ready condition means ready.
    const ready = ((slice.endpoints ?? []) as readonly SliceEndpoint[]).filter((e) => e.conditions?.ready !== false);
    for (const address of ready.flatMap((e) => e.addresses ?? [])) endpoints.push({ address, port });
  }
  return endpoints;
}

function serviceCluster(ref: ServiceBackend, api: KubeObject, set: ResourceSet): ClusterIR | Resolved {
  const namespace = api.metadata.namespace ?? 'default';
  const service = set.Service.get(objectKey(namespace, ref.name));
  if (service === undefined) return { ok: false, reason: 'ServiceNotFound', message: `backend.service: Service ${namespace}/${ref.name} not found` };
  const ports = ((service.spec as { ports?: ServicePort[] } | undefined)?.ports ?? []);
  const port = ports.find((p) => p.port === ref.port);
  if (port === undefined) return { ok: false, reason: 'ServiceNotFound', message: `backend.service: Service ${namespace}/${ref.name} has no port ${ref.port}` };
  const source: SourceRef = { kind: 'Service', namespace, name: ref.name };
  return { kind: 'Service', name: serviceClusterName(source, ref.port), source, port: ref.port, scheme: 'http', endpoints: readyEndpoints(set, namespace, ref.name, port.name) };
}

const isCluster = (value: ClusterIR | Resolved): value is ClusterIR => 'kind' in value;

/** Resolves the backend of `api` for environment `env`. */
export function resolveBackend(api: KubeObject, spec: ApiBackend, env: string, group: GroupInfo, set: ResourceSet): Resolved {
  if (spec.mock !== undefined) {
    const headers = Object.entries(spec.mock.headers ?? {}).map(([name, value]) => ({ name, value }));
    return { ok: true, backend: { kind: 'Mock', status: spec.mock.status ?? 200, body: spec.mock.body ?? '', headers } };
  }
  const target = spec.url !== undefined ? urlCluster(spec.url, env, group) : spec.service !== undefined ? serviceCluster(spec.service, api, set) : undefined;
  if (target === undefined) return { ok: false, reason: 'Invalid', message: 'backend: exactly one of service, url and mock is required' };
  if (!isCluster(target)) return target;
  return forward(spec, target, spec.url?.path ?? spec.service?.path ?? '/', env, group);
}
