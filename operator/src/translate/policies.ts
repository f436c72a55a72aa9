/**
 * ThrottlePolicies, AclPolicies and App quotas → the routes' policies and the gateway's rate
 * limiting. Runs after the Apis are translated: it decorates their routes.
 */
import type { AppAclIR, IpAclIR, RateLimitIR, RouteIR, RoutePoliciesIR, SourceRef, ThrottleIR } from '@turnpike/xds-server';
import type { GatewayConfig } from '../config';
import type { ResourceSet } from '../resources/resourceset';
import { aclAttachables, type AclInput } from './aclpolicy';
import type { AppInput } from './app';
import { attach, routeKey, settle, type Attachable, type Attached, type PublishedRoute } from './attach';
import { sourceOf } from './objects';
import type { StatusBook } from './status';
import { throttleAttachable, type ThrottleAttachable, type ThrottleInput } from './throttlepolicy';

/** Huawei's cap on calls through a group's default subdomain (docs/huawei-compatibility.md §4; not configurable). */
const SUBDOMAIN_DAILY_LIMIT = 1000;

const NO_RATE_LIMIT_SERVICE =
  'No rate-limit service is configured (--ratelimit-address; standalone mode starts one when envoyproxy/ratelimit and Redis are installed): the Exact limits are not enforced (precision Fast needs no service).';

export interface PolicyInputs {
  readonly throttles: readonly ThrottleInput[];
  readonly acls: readonly AclInput[];
}

/** Valid Apps (oldest first) with a quota. */
function appQuotas(apps: readonly AppInput[]): RateLimitIR['appQuotas'] {
  return apps.flatMap(({ object, spec }) => (spec.quota === undefined ? [] : [{ source: sourceOf('App', object), limit: spec.quota.limit, unit: spec.quota.unit }]));
}

/** The valid policies as attachables (targets and special apps checked): changes only with them. */
export interface PolicyWorld {
  readonly throttles: readonly ThrottleAttachable[];
  readonly ip: readonly Attachable<IpAclIR>[];
  readonly app: readonly Attachable<AppAclIR>[];
}

/** One group's routes with their policies, and what attaching concluded (for settlePolicies). */
export interface GroupPolicies {
  /** The group's routes decorated; the very array given when no policy applies to any. */
  readonly routes: readonly RouteIR[];
  readonly throttles: Attached<ThrottleIR>;
  readonly ip: Attached<IpAclIR>;
  readonly app: Attached<AppAclIR>;
}

export function policyWorld(inputs: PolicyInputs, set: ResourceSet, book: StatusBook): PolicyWorld {
  const acls = aclAttachables(inputs.acls, set, book);
  return { throttles: inputs.throttles.map((input) => throttleAttachable(input, set, book)), ip: acls.ip, app: acls.app };
}

export function hasPolicies(world: PolicyWorld): boolean {
  return world.throttles.length + world.ip.length + world.app.length > 0;
}

/** Attaches the policies to one group's routes. */
export function decorateGroup(world: PolicyWorld, routes: readonly RouteIR[], group: SourceRef): GroupPolicies {
  const published: PublishedRoute[] = routes.map((route) => ({ route, group }));
  const throttles = attach('ThrottlePolicy', world.throttles, published);
  const ip = attach('AclPolicy of type IP', world.ip, published);
  const app = attach('AclPolicy of type APP', world.app, published);
  const decorated = routes.map((route) => {
    const key = routeKey(route);
    const throttle = throttles.values.get(key);
    const ipAcl = ip.values.get(key);
    const appAcl = app.values.get(key);
    const policies: RoutePoliciesIR = {
      ...(throttle === undefined ? {} : { throttle }),
      ...(ipAcl === undefined ? {} : { ipAcl }),
      ...(appAcl === undefined ? {} : { appAcl }),
    };
    return Object.keys(policies).length === 0 ? route : { ...route, policies };
  });
  const changed = decorated.some((route, i) => route !== routes[i]);
  return { routes: changed ? decorated : routes, throttles, ip, app };
}

/** Books every policy's conclusions from all groups' results, in route order. */
export function settlePolicies(world: PolicyWorld, groups: readonly GroupPolicies[], config: GatewayConfig, book: StatusBook): void {
  const served = (source: SourceRef): void => { book.served(source); };
  const exact = new Set(world.throttles.filter((t) => t.precision === 'Exact').map((t) => t.source));
  const throttled = config.rateLimit !== undefined ? served : (source: SourceRef): void => {
    if (exact.has(source)) book.notEnforced(source, NO_RATE_LIMIT_SERVICE);
    else served(source);
  };
  settle(world.throttles, groups.map((g) => g.throttles), book, throttled);
  settle(world.ip, groups.map((g) => g.ip), book, served);
  settle(world.app, groups.map((g) => g.app), book, served);
}

/** The gateway's rate limiting, when a rate-limit service is configured. */
export function rateLimitOf(apps: readonly AppInput[], config: GatewayConfig): RateLimitIR | undefined {
  if (config.rateLimit === undefined) return undefined;
  return {
    service: config.rateLimit,
    subdomainDailyLimit: SUBDOMAIN_DAILY_LIMIT,
    appQuotas: appQuotas(apps),
    ...(config.defaultApiLimit === undefined ? {} : { defaultApiLimit: config.defaultApiLimit }),
  };
}
