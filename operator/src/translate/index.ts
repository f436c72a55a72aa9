/**
 * ResourceSet → IR + desired statuses. Pure: the validators are injected, nothing is read or
 * written, and the same set always gives the same result. A long-lived Translator (incremental.ts)
 * gives the same results while recomputing only what changed since its previous pass.
 */
import type { GatewayIR } from '@turnpike/xds-server';
import type { GatewayConfig } from '../config';
import type { KubeObject, ResourceSet, TurnpikeKind } from '../provider/resourceset';
import { Translator } from './incremental';
import type { DesiredStatus } from './status';

export type { DesiredStatus, ConditionValue } from './status';
export { Translator } from './incremental';

/** Validates and defaults one object's spec: user mistakes are returned, never thrown. */
export type ValidateFn = (kind: TurnpikeKind, object: KubeObject) => { readonly ok: true; readonly spec: unknown } | { readonly ok: false; readonly errors: readonly string[] };

export interface Translation {
  readonly ir: GatewayIR;
  /** By sourceKey (`Kind/namespace/name`), sorted. */
  readonly statuses: ReadonlyMap<string, DesiredStatus>;
}

/** One full translation (nothing remembered). */
export function translateResourceSet(set: ResourceSet, config: GatewayConfig, validate: ValidateFn): Translation {
  return new Translator(config, validate).translate(set);
}
