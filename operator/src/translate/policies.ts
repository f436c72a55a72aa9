/**
 * ThrottlePolicies, AclPolicies and App quotas → the routes' policies and the gateway's rate
 * limiting. Runs after the Apis are translated: it decorates their routes.
 */
import type { RateLimitIR, RouteIR, RoutePoliciesIR, SourceRef } from '@turnpike/xds-server';
import type { AppSpec } from '../api';
import type { GatewayConfig } from '../config';
import type { ResourceSet } from '../provider/resourceset';
import { aclAttachables, type AclInput } from './aclpolicy';
import type { GroupInfo } from './apigroup';
import { attach, routeKey, type PublishedRoute } from './attach';
import { olderFirst, sourceOf } from './objects';
import type { StatusBook } from './status';
import { throttleAttachable, type ThrottleInput } from './throttlepolicy';
import type { ValidateFn } from '.';

/** Huawei's cap on calls through a group's default subdomain (reference §4; not configurable). */
export const SUBDOMAIN_DAILY_LIMIT = 1000;

export const NO_RATE_LIMIT_SERVICE =
  'No rate-limit service is configured (--ratelimit-address; standalone mode starts one when envoyproxy/ratelimit and Redis are installed): the limits are not enforced.';

export interface PolicyInputs {
  readonly throttles: readonly ThrottleInput[];
  readonly acls: readonly AclInput[];
}

export interface PolicyOutput {
  /** The routes by group, with their policies. */
  readonly routes: ReadonlyMap<string, RouteIR[]>;
  readonly rateLimit?: RateLimitIR;
}

/** Valid Apps with a quota (validated again here: translation of Apps themselves is app.ts's). */
function appQuotas(set: ResourceSet, validate: ValidateFn): RateLimitIR['appQuotas'] {
  return [...set.App.values()].sort(olderFirst).flatMap((object) => {
    const result = validate('App', object);
    const quota = result.ok ? (result.spec as AppSpec).quota : undefined;
    return quota === undefined ? [] : [{ source: sourceOf('App', object), limit: quota.limit, unit: quota.unit }];
  });
}

function published(routes: ReadonlyMap<string, RouteIR[]>, groups: ReadonlyMap<string, GroupInfo>): PublishedRoute[] {
  return [...routes].flatMap(([key, list]) => {
    const group = groups.get(key);
    return group === undefined ? [] : list.map((route) => ({ route, group: group.source }));
  });
}

export function translatePolicies(
  inputs: PolicyInputs,
  context: { readonly routes: ReadonlyMap<string, RouteIR[]>; readonly groups: ReadonlyMap<string, GroupInfo>; readonly set: ResourceSet },
  config: GatewayConfig,
  validate: ValidateFn,
  book: StatusBook,
): PolicyOutput {
  const { set } = context;
  const routes = published(context.routes, context.groups);
  const served = (source: SourceRef): void => { book.served(source); };
  const throttled = config.rateLimit === undefined ? (source: SourceRef): void => { book.notEnforced(source, NO_RATE_LIMIT_SERVICE); } : served;
  const throttles = attach('ThrottlePolicy', inputs.throttles.map((input) => throttleAttachable(input, set, book)), routes, book, throttled);
  const acls = aclAttachables(inputs.acls, set, book);
  const ipAcls = attach('AclPolicy of type IP', acls.ip, routes, book, served);
  const appAcls = attach('AclPolicy of type APP', acls.app, routes, book, served);
  const decorate = (route: RouteIR): RouteIR => {
    const key = routeKey(route);
    const throttle = throttles.get(key);
    const ipAcl = ipAcls.get(key);
    const appAcl = appAcls.get(key);
    const policies: RoutePoliciesIR = {
      ...(throttle === undefined ? {} : { throttle }),
      ...(ipAcl === undefined ? {} : { ipAcl }),
      ...(appAcl === undefined ? {} : { appAcl }),
    };
    return Object.keys(policies).length === 0 ? route : { ...route, policies };
  };
  const decorated = new Map([...context.routes].map(([key, list]) => [key, list.map(decorate)]));
  if (config.rateLimit === undefined) return { routes: decorated };
  return { routes: decorated, rateLimit: { service: config.rateLimit, subdomainDailyLimit: SUBDOMAIN_DAILY_LIMIT, appQuotas: appQuotas(set, validate) } };
}
