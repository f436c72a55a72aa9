/**
 * ResourceSet → IR + desired statuses. Pure: the validators are injected, nothing is read or
 * written, and the same set always gives the same result.
 */
import type { GatewayIR, SourceRef } from '@turnpike/xds-server';
import type { AclPolicySpec, ApiGroupSpec, ApiSpec, AppSpec, SignatureKeySpec, ThrottlePolicySpec } from '../api';
import type { GatewayConfig } from '../config';
import type { KubeObject, ResourceSet, TurnpikeKind } from '../provider/resourceset';
import { translateApis } from './api';
import { translateApps } from './app';
import { translateGroups, type GroupInfo } from './apigroup';
import { generationOf, olderFirst, sourceOf } from './objects';
import { translatePolicies, type PolicyOutput } from './policies';
import { translateSignatureKeys } from './signaturekey';
import { StatusBook, type DesiredStatus } from './status';

export type { DesiredStatus, ConditionValue } from './status';

/** Validates and defaults one object's spec: user mistakes are returned, never thrown. */
export type ValidateFn = (kind: TurnpikeKind, object: KubeObject) => { readonly ok: true; readonly spec: unknown } | { readonly ok: false; readonly errors: readonly string[] };

export interface Translation {
  readonly ir: GatewayIR;
  /** By sourceKey (`Kind/namespace/name`), sorted. */
  readonly statuses: ReadonlyMap<string, DesiredStatus>;
}

/** Opens a status for every object of `kind` and returns the valid ones with their typed specs, oldest first. */
function validObjects(kind: TurnpikeKind, set: ResourceSet, validate: ValidateFn, book: StatusBook): { object: KubeObject; spec: unknown }[] {
  const valid: { object: KubeObject; spec: unknown }[] = [];
  for (const object of [...set[kind].values()].sort(olderFirst)) {
    const source = sourceOf(kind, object);
    book.open(source, generationOf(object));
    const result = validate(kind, object);
    if (result.ok) valid.push({ object, spec: result.spec });
    else book.reject(source, 'Invalid', result.errors.join('; '));
  }
  return valid;
}

function gatewaySource(config: GatewayConfig): SourceRef {
  return { kind: 'GatewayConfig', namespace: '', name: config.fleet };
}

function buildGateway(config: GatewayConfig, groups: ReadonlyMap<string, GroupInfo>, apis: ReturnType<typeof translateApis>, policies: PolicyOutput): GatewayIR {
  const groupIRs = [...groups.entries()].map(([key, group]) => ({
    source: group.source,
    ...(group.subdomain === undefined ? {} : { subdomain: group.subdomain }),
    domains: group.domains,
    routes: policies.routes.get(key) ?? [],
  }));
  const anyTls = groupIRs.some((g) => g.domains.some((d) => d.tls !== undefined));
  const listen = { address: config.listenAddress };
  return {
    source: gatewaySource(config),
    http: { ...listen, port: config.httpPort },
    // Without a certificate there is nothing to serve on HTTPS: no listener rather than a broken one.
    ...(anyTls ? { https: { ...listen, port: config.httpsPort, publicPort: config.httpsPublicPort } } : {}),
    trustedProxyHops: config.trustedProxyHops,
    groups: groupIRs,
    clusters: [...apis.clusters.values()],
    ...(policies.rateLimit === undefined ? {} : { rateLimit: policies.rateLimit }),
  };
}

export function translateResourceSet(set: ResourceSet, config: GatewayConfig, validate: ValidateFn): Translation {
  const book = new StatusBook();
  // The validated spec has passed the CRD schema, so it has the typed shape.
  const groupInputs = validObjects('ApiGroup', set, validate, book).map((v) => ({ object: v.object, spec: v.spec as ApiGroupSpec }));
  const groups = translateGroups(groupInputs, set, config.baseDomain, book);
  const apiInputs = validObjects('Api', set, validate, book).map((v) => ({ object: v.object, spec: v.spec as ApiSpec }));
  const apis = translateApis(apiInputs, groups, set, book);
  const apps = translateApps(validObjects('App', set, validate, book).map((v) => ({ object: v.object, spec: v.spec as AppSpec })), set, book);
  const signatureKeys = translateSignatureKeys(validObjects('SignatureKey', set, validate, book).map((v) => ({ object: v.object, spec: v.spec as SignatureKeySpec })), set, book);
  const authz = { ...(config.authz === undefined ? {} : { service: config.authz }), apps, signatureKeys };
  const throttles = validObjects('ThrottlePolicy', set, validate, book).map((v) => ({ object: v.object, spec: v.spec as ThrottlePolicySpec }));
  const acls = validObjects('AclPolicy', set, validate, book).map((v) => ({ object: v.object, spec: v.spec as AclPolicySpec }));
  const policies = translatePolicies({ throttles, acls }, { routes: apis.routes, groups, set }, config, validate, book);
  return { ir: { ...buildGateway(config, groups, apis, policies), authz }, statuses: book.result() };
}
