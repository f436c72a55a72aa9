/** Small pure readers over a ResourceSet shared by the kind modules. */
import type { SourceKind, SourceRef } from '@turnpike/xds-server';
import { objectKey, type KubeObject, type ResourceSet } from '../resources/resourceset';

export function sourceOf(kind: SourceKind, object: KubeObject): SourceRef {
  return { kind, namespace: object.metadata.namespace ?? 'default', name: object.metadata.name };
}

export function generationOf(object: KubeObject): number {
  return object.metadata.generation ?? 1;
}

/** A Secret's value as text: `stringData` (files mode) wins over base64 `data`, as the API server does. */
export function secretValue(set: ResourceSet, namespace: string, name: string, key: string): string | undefined {
  const secret = set.Secret.get(objectKey(namespace, name));
  if (secret === undefined) return undefined;
  const plain = secret.stringData?.[key];
  if (plain !== undefined) return plain;
  const encoded = secret.data?.[key];
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
}

export function hasSecret(set: ResourceSet, namespace: string, name: string): boolean {
  return set.Secret.has(objectKey(namespace, name));
}
