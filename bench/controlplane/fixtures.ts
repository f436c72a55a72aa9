/**
 * The synthetic world: `groups` ApiGroups with default subdomains and `apis` mock Apis spread
 * round-robin over them (Api i → group i mod groups, path /r<i>). Mock backends need no backend
 * server, and a changed mock body is how a served change is recognised through Envoy.
 */
import type { KubeObject } from '@turnpike/operator';

export const API_VERSION = 'turnpike.dev/v1alpha1';
const BASE_DOMAIN = 'apigw.localhost';

export interface Size {
  readonly apis: number;
  readonly groups: number;
}

function groupName(g: number): string {
  return `grp-${g}`;
}

export function apiName(i: number): string {
  return `api-${i}`;
}

export function groupOf(size: Size, i: number): number {
  return i % size.groups;
}

/** The body Api `i` answers with at `revision` (0 when created). */
export function mockBody(i: number, revision: number): string {
  return `api-${i} rev ${revision}`;
}

/** Host header and path that reach Api `i` through Envoy. */
export function routeOf(size: Size, namespace: string, i: number): { host: string; path: string } {
  return { host: `${groupName(groupOf(size, i))}.${namespace}.${BASE_DOMAIN}`, path: `/r${i}` };
}

export function groupManifest(g: number): KubeObject {
  return { apiVersion: API_VERSION, kind: 'ApiGroup', metadata: { name: groupName(g) }, spec: {} };
}

export function apiManifest(size: Size, i: number, revision = 0): KubeObject {
  return {
    apiVersion: API_VERSION,
    kind: 'Api',
    metadata: { name: apiName(i) },
    spec: {
      groupRef: { name: groupName(groupOf(size, i)) },
      method: 'GET',
      path: `/r${i}`,
      backend: { mock: { status: 200, body: mockBody(i, revision), headers: { 'content-type': 'text/plain' } } },
    },
  };
}

/**
 * Standalone mode's manifest file of group `g`: the ApiGroup and its Apis (i ≡ g mod groups), each
 * at its revision, one JSON document each (JSON is YAML).
 */
export function groupFile(size: Size, g: number, revisionOf: (i: number) => number): string {
  const docs = [groupManifest(g)];
  for (let i = g; i < size.apis; i += size.groups) docs.push(apiManifest(size, i, revisionOf(i)));
  return `${docs.map((doc) => JSON.stringify(doc)).join('\n---\n')}\n`;
}

/** The merge patch that makes Api `i` answer with `mockBody(i, revision)`. */
export function bodyPatch(i: number, revision: number): string {
  return JSON.stringify({ spec: { backend: { mock: { body: mockBody(i, revision) } } } });
}

/** Objects as the informers would deliver them (namespace, generation, uid, creation time set). */
export function worldObjects(size: Size, namespace: string): KubeObject[] {
  const created = new Date(Date.UTC(2026, 0, 1)).toISOString();
  const stored = (object: KubeObject, uid: string): KubeObject => ({
    ...object,
    metadata: { ...object.metadata, namespace, generation: 1, uid, resourceVersion: '1', creationTimestamp: created },
  });
  const groups = Array.from({ length: size.groups }, (_, g) => stored(groupManifest(g), `uid-g-${g}`));
  const apis = Array.from({ length: size.apis }, (_, i) => stored(apiManifest(size, i), `uid-a-${i}`));
  return [...groups, ...apis];
}

/** `count` distinct Api indexes spread over the whole set (a stride coprime with `apis`). */
export function spreadIndexes(apis: number, count: number, offset = 0): number[] {
  const stride = [7919, 7907, 7901].find((p) => apis % p !== 0) ?? 1;
  return Array.from({ length: Math.min(count, apis) }, (_, k) => (offset + k * stride) % apis);
}
