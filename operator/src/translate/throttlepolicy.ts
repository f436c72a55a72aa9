/** ThrottlePolicy → the ThrottleIR of each route it applies to (attach.ts decides which). */
import { appId, type RouteIR, type SpecialAppLimitIR, type ThrottleIR, type ThrottlePrecision } from '@turnpike/xds-server';
import type { ThrottlePolicySpec, TimeUnit } from '../api';
import { objectKey, type KubeObject, type ResourceSet } from '../resources/resourceset';
import { checkTargets, type Attachable } from './attach';
import { sourceOf } from './objects';
import type { StatusBook } from './status';

export interface ThrottleInput {
  readonly object: KubeObject;
  readonly spec: ThrottlePolicySpec;
}

/** Special apps that exist (missing ones are reported and left out). */
function specialApps(input: ThrottleInput, set: ResourceSet, book: StatusBook): SpecialAppLimitIR[] {
  const source = sourceOf('ThrottlePolicy', input.object);
  const specials = input.spec.specialApps ?? [];
  const missing = specials.filter((s) => !set.App.has(objectKey(source.namespace, s.name)));
  if (missing.length > 0) {
    book.unresolved(source, 'AppNotFound', `specialApps: App ${missing.map((s) => `${source.namespace}/${s.name}`).join(', ')} not found`);
  }
  return specials
    .filter((s) => set.App.has(objectKey(source.namespace, s.name)))
    .map((s) => ({ appId: appId({ namespace: source.namespace, name: s.name }), limit: s.limit }));
}

/** A ThrottlePolicy as attached to routes, and where it counts. */
export interface ThrottleAttachable extends Attachable<ThrottleIR> {
  readonly precision: ThrottlePrecision;
}

/**
 * The default precision of a window: Fast for short windows; Exact for HOUR and DAY, whose
 * counts an Envoy restart would lose (admission refuses Fast there).
 */
function defaultPrecision(unit: TimeUnit): ThrottlePrecision {
  return unit === 'SECOND' || unit === 'MINUTE' ? 'Fast' : 'Exact';
}

/** One valid ThrottlePolicy as an attachable policy (defaults applied: MINUTE, PerApi, FailOpen, precision by window). */
export function throttleAttachable(input: ThrottleInput, set: ResourceSet, book: StatusBook): ThrottleAttachable {
  const { spec } = input;
  const source = sourceOf('ThrottlePolicy', input.object);
  checkTargets(source, spec.targetRefs, set, book);
  const unit = spec.window?.unit ?? 'MINUTE';
  const precision = spec.precision ?? defaultPrecision(unit);
  const base = {
    source,
    unit,
    precision,
    api: spec.limits.api,
    ...(spec.limits.app === undefined ? {} : { app: spec.limits.app }),
    ...(spec.limits.ip === undefined ? {} : { ip: spec.limits.ip }),
    specialApps: specialApps(input, set, book),
    failClosed: spec.failureMode === 'FailClosed',
  };
  const shared = spec.counting === 'Shared';
  return {
    source,
    precision,
    targetRefs: spec.targetRefs,
    ...(spec.environments === undefined ? {} : { environments: spec.environments }),
    value: (route: RouteIR): ThrottleIR => ({ ...base, scope: shared ? '*' : route.source.name }),
  };
}
