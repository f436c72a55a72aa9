/**
 * The types translation shares with its callers. A leaf: the translate modules import these from
 * here, never from index.ts, so the folder has no import cycle.
 */
import type { GatewayIR } from '@turnpike/xds-server';
import type { KubeObject, TurnpikeKind } from '../resources/resourceset';
import type { DesiredStatus } from './status';

/** Validates and defaults one object's spec: user mistakes are returned, never thrown. */
export type ValidateFn = (kind: TurnpikeKind, object: KubeObject) => { readonly ok: true; readonly spec: unknown } | { readonly ok: false; readonly errors: readonly string[] };

export interface Translation {
  readonly ir: GatewayIR;
  /** By sourceKey (`Kind/namespace/name`), sorted. */
  readonly statuses: ReadonlyMap<string, DesiredStatus>;
}
