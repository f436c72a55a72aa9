/** Api → one RouteIR per published environment, plus the clusters those routes forward to. */
import { RELEASE, parsePathTemplate, type ClusterIR, type RouteIR, type SourceRef } from '@turnpike/xds-server';
import type { ApiSpec } from '../api';
import { objectKey, type KubeObject, type ResourceSet } from '../resources/resourceset';
import type { GroupInfo } from './apigroup';
import { resolveBackend } from './backend';
import { sourceOf } from './objects';
import type { StatusBook } from './status';

export interface ApiInput {
  readonly object: KubeObject;
  readonly spec: ApiSpec;
}

export interface ApiOutput {
  /** Routes by group (namespace/name). */
  readonly routes: Map<string, RouteIR[]>;
  readonly clusters: Map<string, ClusterIR>;
  /** The Apis served, oldest first. */
  readonly served: KubeObject[];
}

function routeKey(group: string, route: RouteIR): string {
  const path = JSON.stringify(route.path);
  return `${group} ${route.environment} ${route.method} ${route.match} ${path}`;
}

function resolveRefs(input: ApiInput, source: SourceRef, groups: ReadonlyMap<string, GroupInfo>, set: ResourceSet, book: StatusBook): GroupInfo | undefined {
  const groupKey = `${source.namespace}/${input.spec.groupRef.name}`;
  const group = groups.get(groupKey);
  if (group === undefined) {
    const exists = set.ApiGroup.has(objectKey(source.namespace, input.spec.groupRef.name));
    const why = exists ? 'is not accepted (see its status)' : 'does not exist';
    book.unresolved(source, 'GroupNotFound', `spec.groupRef: ApiGroup ${groupKey} ${why}`);
    return undefined;
  }
  const unknown = (input.spec.environments ?? [RELEASE]).filter((env) => !group.environments.has(env));
  if (unknown.length > 0) {
    book.unresolved(source, 'EnvironmentNotFound', `spec.environments: ApiGroup ${groupKey} does not define ${unknown.join(', ')}`);
    return undefined;
  }
  const keyRef = input.spec.backend.signatureKeyRef;
  if (keyRef !== undefined && !set.SignatureKey.has(objectKey(source.namespace, keyRef.name))) {
    book.unresolved(source, 'SignatureKeyNotFound', `backend.signatureKeyRef: SignatureKey ${source.namespace}/${keyRef.name} does not exist`);
    return undefined;
  }
  return group;
}

function buildRoutes(input: ApiInput, source: SourceRef, group: GroupInfo, set: ResourceSet, book: StatusBook): { routes: RouteIR[]; clusters: ClusterIR[] } | undefined {
  const { spec } = input;
  const path = parsePathTemplate(spec.path);
  if (!path.ok) {
    book.reject(source, 'Invalid', `spec.path: ${path.reason}`);
    return undefined;
  }
  const routes: RouteIR[] = [];
  const clusters: ClusterIR[] = [];
  for (const environment of spec.environments ?? [RELEASE]) {
    const resolved = resolveBackend(input.object, spec.backend, environment, group, set);
    if (!resolved.ok) {
      if (resolved.reason === 'Invalid') book.reject(source, 'Invalid', resolved.message);
      else book.unresolved(source, resolved.reason, resolved.message);
      return undefined;
    }
    if (resolved.cluster !== undefined) clusters.push(resolved.cluster);
    const auth = spec.auth?.type === 'APP' ? { type: 'APP' as const, appCode: spec.auth.appCode ?? false } : { type: 'NONE' as const };
    routes.push({
      source,
      environment,
      method: spec.method,
      path: path.value,
      match: spec.matchMode ?? 'Exact',
      protocol: spec.protocol ?? 'BOTH',
      auth,
      cors: spec.cors ?? false,
      backend: resolved.backend,
    });
  }
  return { routes, clusters };
}

/**
 * Translates valid Apis, oldest first: the same method and path published twice in one group and
 * environment stays with the older Api; the newer one reports Conflicted and is not served.
 */
export function translateApis(inputs: readonly ApiInput[], groups: ReadonlyMap<string, GroupInfo>, set: ResourceSet, book: StatusBook): ApiOutput {
  const output: ApiOutput = { routes: new Map(), clusters: new Map(), served: [] };
  const claimed = new Map<string, string>();
  for (const input of inputs) {
    const source = sourceOf('Api', input.object);
    const group = resolveRefs(input, source, groups, set, book);
    const built = group === undefined ? undefined : buildRoutes(input, source, group, set, book);
    if (group === undefined || built === undefined) continue;
    const groupKey = `${group.source.namespace}/${group.source.name}`;
    const taken = built.routes.map((route) => claimed.get(routeKey(groupKey, route))).find((owner) => owner !== undefined);
    if (taken !== undefined) {
      book.reject(source, 'Conflicted', `${input.spec.method} ${input.spec.path} is already published in this group by Api ${taken}`);
      continue;
    }
    for (const route of built.routes) claimed.set(routeKey(groupKey, route), `${source.namespace}/${source.name}`);
    output.routes.set(groupKey, [...(output.routes.get(groupKey) ?? []), ...built.routes]);
    for (const cluster of built.clusters) output.clusters.set(cluster.name, cluster);
    output.served.push(input.object);
    book.served(source);
    book.served(group.source);
  }
  return output;
}

