/** What the status writer knows about an object's current state. Pure. */
import type { KubeObject } from '../resources/resourceset';

export interface Known {
  readonly resourceVersion: string;
  readonly uid?: string;
  readonly generation?: number;
  readonly status: unknown;
}

export function statusKey(ref: { readonly kind: string; readonly namespace: string; readonly name: string }): string {
  return `${ref.kind}/${ref.namespace}/${ref.name}`;
}

export function snapshotOf(object: KubeObject): Known {
  const { resourceVersion, uid, generation } = object.metadata;
  return {
    resourceVersion: resourceVersion ?? '',
    ...(uid === undefined ? {} : { uid }),
    ...(generation === undefined ? {} : { generation }),
    status: object.status,
  };
}

/**
 * Which of two resourceVersions is newer, when that can be told. resourceVersions are opaque;
 * etcd-backed servers use integers, and the writer only uses the order to avoid a redundant
 * request (correctness rests on the resourceVersion precondition of each write). 'unknown' when
 * either is not an integer; 'same' when equal.
 */
export function newer(first: string, second: string): 'first' | 'second' | 'same' | 'unknown' {
  if (first === second) return 'same';
  if (!/^\d+$/.test(first) || !/^\d+$/.test(second)) return 'unknown';
  return BigInt(first) > BigInt(second) ? 'first' : 'second';
}
