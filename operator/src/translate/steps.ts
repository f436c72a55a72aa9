/**
 * The steps incremental translation memoises, each a pure function of its inputs and of what it
 * reads from the ResourceSet, each with its own StatusBook (no two steps book the same object).
 */
import type { ApiGroupIR, AuthzIR, ClusterIR, SourceRef } from '@turnpike/xds-server';
import type { GatewayConfig } from '../config';
import type { Kind, KubeObject, ResourceSet, TurnpikeKind } from '../resources/resourceset';
import { translateApis, type ApiInput } from './api';
import { translateApps, type AppInput } from './app';
import { translateGroup, type GroupInfo, type GroupInput } from './apigroup';
import { generationOf, sourceOf } from './objects';
import { policyWorld, type PolicyInputs, type PolicyWorld } from './policies';
import { translateSignatureKeys, type SignatureKeyInput } from './signaturekey';
import { StatusBook, type DesiredStatus } from './status';

export type StatusEntries = readonly (readonly [string, DesiredStatus])[];

function open(book: StatusBook, kind: TurnpikeKind, objects: readonly { readonly object: KubeObject }[]): void {
  for (const { object } of objects) book.open(sourceOf(kind, object), generationOf(object));
}

/** An object whose current spec is invalid while its last valid version is translated. */
export interface Stale {
  /** The current version. */
  readonly object: KubeObject;
  /** Its sourceKey. */
  readonly key: string;
  readonly errors: readonly string[];
}

/**
 * The status of an object's current, invalid generation from that of its last valid version:
 * Accepted=False (Invalid), and, when that version is in the IR, which generation is served
 * (the served version's references, fields and `inIR` still hold).
 */
function staleStatus(served: DesiredStatus, stale: Stale): DesiredStatus {
  const errors = stale.errors.join('; ');
  const generation = generationOf(stale.object);
  if (!served.inIR) return invalidStep(served.source.kind as TurnpikeKind, stale.object, stale.errors)[0]?.[1] ?? served;
  return {
    source: served.source,
    generation,
    accepted: { status: 'False', reason: 'Invalid', message: `${errors}; still serving generation ${served.generation}` },
    resolvedRefs: served.resolvedRefs,
    inIR: true,
    fields: served.fields,
    servedGeneration: served.generation,
    ...(served.notEnforced === undefined ? {} : { notEnforced: served.notEnforced }),
  };
}

/** A step's statuses with those of `stale` objects for their current generation (the other entries as they are). */
export function staleStatuses(entries: StatusEntries, stale: readonly Stale[]): StatusEntries {
  const byKey = new Map(stale.map((s) => [s.key, s]));
  return entries.map((entry) => {
    const s = byKey.get(entry[0]);
    return s === undefined ? entry : [entry[0], staleStatus(entry[1], s)] as const;
  });
}

/** An object its validation refused. */
export function invalidStep(kind: TurnpikeKind, object: KubeObject, errors: readonly string[]): StatusEntries {
  const book = new StatusBook();
  const source = sourceOf(kind, object);
  book.open(source, generationOf(object));
  book.reject(source, 'Invalid', errors.join('; '));
  return book.entries();
}

/** A valid Api whose group is not a valid ApiGroup. */
export function orphanStep(input: ApiInput, set: ResourceSet): StatusEntries {
  const book = new StatusBook();
  open(book, 'Api', [input]);
  translateApis([input], new Map(), set, book);
  return book.entries();
}

export interface GroupStep {
  readonly info: GroupInfo;
  /** The group's virtual host with its routes, before policies. */
  readonly ir: ApiGroupIR;
  /** The clusters its routes forward to, by first use. */
  readonly clusters: readonly ClusterIR[];
  /** Its oldest served Api (policy conflicts are booked in the order of groups' oldest served Apis). */
  readonly firstServed?: KubeObject;
  readonly statuses: StatusEntries;
}

/** One valid ApiGroup and the valid Apis that reference it (oldest first): conflicts between them stay within. */
export function groupStep(group: GroupInput, owners: readonly (string | undefined)[], apis: readonly ApiInput[], context: { set: ResourceSet; baseDomain: string }): GroupStep {
  const book = new StatusBook();
  open(book, 'ApiGroup', [group]);
  open(book, 'Api', apis);
  const info = translateGroup(group, owners, context.set, context.baseDomain, book);
  const label = `${info.source.namespace}/${info.source.name}`;
  const output = translateApis(apis, new Map([[label, info]]), context.set, book);
  const ir: ApiGroupIR = {
    source: info.source,
    ...(info.subdomain === undefined ? {} : { subdomain: info.subdomain }),
    domains: info.domains,
    routes: output.routes.get(label) ?? [],
  };
  const firstServed = output.served[0];
  return { info, ir, clusters: [...output.clusters.values()], ...(firstServed === undefined ? {} : { firstServed }), statuses: book.entries() };
}

export interface AuthzStep {
  readonly authz: AuthzIR;
  readonly statuses: StatusEntries;
}

/** Apps and SignatureKeys: what the authn filter needs (AppKeys conflict across Apps, so all Apps are one step). */
export function authzStep(apps: readonly AppInput[], keys: readonly SignatureKeyInput[], config: GatewayConfig, set: ResourceSet): AuthzStep {
  const book = new StatusBook();
  open(book, 'App', apps);
  open(book, 'SignatureKey', keys);
  const appIRs = translateApps(apps, set, book);
  const signatureKeys = translateSignatureKeys(keys, set, book);
  return { authz: { ...(config.authnModule === undefined ? {} : { module: { path: config.authnModule } }), apps: appIRs, signatureKeys }, statuses: book.entries() };
}

export interface PolicyStep {
  readonly world: PolicyWorld;
  /** Before attachment: opened, targets and special apps checked. */
  readonly statuses: StatusEntries;
}

export function policyStep(inputs: PolicyInputs, set: ResourceSet): PolicyStep {
  const book = new StatusBook();
  open(book, 'ThrottlePolicy', inputs.throttles);
  open(book, 'AclPolicy', inputs.acls);
  return { world: policyWorld(inputs, set, book), statuses: book.entries() };
}

/** `Kind/namespace/name`-style memo key of one object. */
export function stepKey(prefix: string, kind: Kind, source: SourceRef): string {
  return `${prefix}:${kind}/${source.namespace}/${source.name}`;
}
