/**
 * The list half of each informer's list-and-watch: pages through a collection (500 objects per
 * request, so thousands of Secrets never arrive as one response) and returns normalised objects
 * with the snapshot's resourceVersion, from which the watch continues.
 */
import type { KubeClient } from '../kube/client';
import type { KubeObject } from '../resources/resourceset';
import { isRecord } from '../json';
import { collectionPath, normalise, type ResourceDescriptor } from './informers-set';

/** Server-side filters of one informer (the watch uses the same ones). */
export interface Selectors {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export interface Listed {
  readonly objects: readonly KubeObject[];
  readonly resourceVersion: string;
}

const PAGE_SIZE = 500;

/** A list's or an object's metadata field, as a non-empty string. */
export function metadataString(value: unknown, field: 'resourceVersion' | 'continue'): string | undefined {
  const found = isRecord(value) && isRecord(value.metadata) ? value.metadata[field] : undefined;
  return typeof found === 'string' && found !== '' ? found : undefined;
}

export async function listAll(
  kube: KubeClient,
  descriptor: ResourceDescriptor,
  target: { readonly namespace?: string; readonly selectors: Selectors; readonly timeoutMs: number },
): Promise<Listed> {
  const path = collectionPath(descriptor, target.namespace);
  const objects: KubeObject[] = [];
  let resourceVersion: string | undefined;
  let token: string | undefined;
  do {
    const page = await kube.get<unknown>(path, { timeoutMs: target.timeoutMs, query: { limit: PAGE_SIZE, continue: token, ...target.selectors } });
    // Every page of a paginated list reports the first page's snapshot resourceVersion.
    resourceVersion ??= metadataString(page, 'resourceVersion');
    const items = isRecord(page) && Array.isArray(page.items) ? (page.items as unknown[]) : [];
    for (const raw of items) {
      const object = normalise(descriptor, raw);
      if (object !== undefined) objects.push(object);
    }
    token = metadataString(page, 'continue');
  } while (token !== undefined);
  return { objects, resourceVersion: resourceVersion ?? '' };
}
