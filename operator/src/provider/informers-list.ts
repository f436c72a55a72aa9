/**
 * The list half of each informer's list-and-watch: pages through a collection (500 objects per
 * request, so thousands of Secrets never arrive as one response) and returns plain, normalised
 * objects with the snapshot's resourceVersion, from which the watch continues.
 */
import {
  CoreV1Api,
  CustomObjectsApi,
  V1ListMeta,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { KubeObject } from '../resources/resourceset';
import { normalise, type ResourceDescriptor } from './informers-set';
import { requestOptions } from '../kube/request';

/** Server-side filters of one informer (the watch uses the same ones). */
export interface Selectors {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

interface Page {
  readonly items: readonly unknown[];
  readonly resourceVersion: string;
  readonly continueToken: string | undefined;
}

const PAGE_SIZE = 500;

function toPage(list: unknown): Page {
  const record = (typeof list === 'object' && list !== null ? list : {}) as {
    items?: unknown;
    metadata?: { resourceVersion?: unknown; _continue?: unknown; continue?: unknown };
  };
  const meta = record.metadata ?? {};
  // Typed lists name the token `_continue`, raw JSON `continue`.
  const token = meta._continue ?? meta.continue;
  return {
    items: Array.isArray(record.items) ? (record.items as unknown[]) : [],
    resourceVersion: typeof meta.resourceVersion === 'string' ? meta.resourceVersion : '',
    continueToken: typeof token === 'string' && token !== '' ? token : undefined,
  };
}

type PageFetcher = (continueToken: string | undefined) => Promise<Page>;

function pageFetcher(kc: KubeConfig, d: ResourceDescriptor, namespace: string | undefined, selectors: Selectors, timeoutMs: number): PageFetcher {
  const core = kc.makeApiClient(CoreV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const options = requestOptions(timeoutMs);
  return async (continueToken) => {
    const query = {
      limit: PAGE_SIZE,
      ...(continueToken === undefined ? {} : { _continue: continueToken }),
      ...(selectors.labelSelector === undefined ? {} : { labelSelector: selectors.labelSelector }),
      ...(selectors.fieldSelector === undefined ? {} : { fieldSelector: selectors.fieldSelector }),
    };
    const ns = namespace === undefined ? undefined : { ...query, namespace };
    if (d.kind === 'Secret') {
      return toPage(ns === undefined ? await core.listSecretForAllNamespaces(query, options) : await core.listNamespacedSecret(ns, options));
    }
    if (d.kind === 'Service') {
      return toPage(ns === undefined ? await core.listServiceForAllNamespaces(query, options) : await core.listNamespacedService(ns, options));
    }
    // Custom resources and discovery.k8s.io share /apis/<group>/<version>/…, returned as raw JSON.
    const target = { group: d.group, version: d.version, plural: d.plural };
    const list: unknown = ns === undefined
      ? await custom.listClusterCustomObject({ ...target, ...query }, options)
      : await custom.listNamespacedCustomObject({ ...target, ...ns }, options);
    return toPage(list);
  };
}

/**
 * A ListWatch list function. `remember` receives each normalised object so the provider does
 * not normalise it twice.
 */
export function listFunction(
  kc: KubeConfig,
  descriptor: ResourceDescriptor,
  target: { readonly namespace?: string; readonly selectors: Selectors; readonly timeoutMs: number },
  remember: (object: KubeObject) => void,
): () => Promise<KubernetesListObject<KubernetesObject>> {
  const fetchPage = pageFetcher(kc, descriptor, target.namespace, target.selectors, target.timeoutMs);
  return async () => {
    const items: KubernetesObject[] = [];
    let resourceVersion = '';
    let token: string | undefined;
    do {
      const page = await fetchPage(token);
      // Every page of a paginated list reports the first page's snapshot resourceVersion.
      if (resourceVersion === '') resourceVersion = page.resourceVersion;
      for (const raw of page.items) {
        const object = normalise(descriptor, raw);
        if (object === undefined) continue;
        remember(object);
        items.push(object as unknown as KubernetesObject);
      }
      token = page.continueToken;
    } while (token !== undefined);
    const metadata = new V1ListMeta();
    metadata.resourceVersion = resourceVersion;
    return { metadata, items };
  };
}
