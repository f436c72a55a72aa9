/**
 * Incremental CR → IR. Every step (one ApiGroup with its Apis, Apps and SignatureKeys, the
 * policies, one group's policy attachment, each refused or orphaned object) is memoised on its
 * inputs and on what it read of the ResourceSet; a pass recomputes only the steps whose inputs
 * changed, then assembles the IR from the steps' pieces in linear time. Cross-group decisions
 * (who holds a hostname, the order of clusters and of policy conflicts) are made in assembly.
 *
 * Identity contract: a piece whose inputs did not change is the very object of the previous
 * pass: each ApiGroupIR (and its routes), each ClusterIR, ir.rateLimit, ir.authz, each
 * DesiredStatus (equal statuses keep the older object), the statuses map and the whole IR when
 * nothing changed.
 *
 * Last good version: the Translator remembers, per object (name, and uid when the object has
 * one), the last version whose spec validated. When the current spec is invalid, that version is
 * translated instead (the very object, so its steps are reused) and the object's status reports
 * the current generation as Accepted=False (Invalid) with the generation still served. An object
 * never valid is left out, a deleted or re-created one is forgotten. Results are the same as a
 * full translation's of the set in which each such object is its last valid version, statuses
 * aside.
 */
import { sourceKey, type ApiGroupIR, type AuthzIR, type ClusterIR, type RateLimitIR, type SourceRef } from '@turnpike/xds-server';
import type { ApiGroupSpec, ApiSpec, AppSpec, SignatureKeySpec, ThrottlePolicySpec, AclPolicySpec } from '../api';
import type { GatewayConfig } from '../config';
import { objectKey, type KubeObject, type ResourceSet, type TurnpikeKind } from '../resources/resourceset';
import type { ApiInput } from './api';
import { domainOwners } from './apigroup';
import { assembleGateway, StatusAssembly } from './assemble';
import { Memo, memoiseValidate } from './memo';
import { patchedBuckets, replacedKeys, sameSet, type ApisPass, type KindPass } from './patch';
import { sourceOf } from './objects';
import { AgeOrder } from './order';
import { decorateGroup, hasPolicies, rateLimitOf, settlePolicies, type GroupPolicies } from './policies';
import { StatusBook } from './status';
import { subdomainTls } from './subdomain-tls';
import { authzStep, groupStep, invalidStep, orphanStep, policyStep, staleStatuses, stepKey, type GroupStep, type Stale, type StatusEntries } from './steps';
import type { Translation, ValidateFn } from './types';

interface Valid<S> {
  readonly object: KubeObject;
  readonly spec: S;
  /** Set when `object` is the last valid version of an object whose current spec is invalid. */
  readonly stale?: Stale;
}

/** The last version of one object whose spec validated. */
interface LastValid {
  readonly object: KubeObject;
  readonly spec: unknown;
  /** The current, invalid version (the same object while it is unchanged). */
  stale?: Stale;
  /** The pass that last saw the object. */
  seen: number;
}

const groupLabel = (source: SourceRef): string => `${source.namespace}/${source.name}`;

/** The hostnames each group holds (domainOwners) and the groups' labels, for one list of groups. */
interface Ownership {
  readonly groups: readonly Valid<ApiGroupSpec>[];
  readonly owners: ReadonlyMap<string, readonly (string | undefined)[]>;
  readonly labels: ReadonlySet<string>;
}

/** A group object's label and memo key, and the memo inputs last built for it with what they were built from. */
interface GroupRecord {
  readonly label: string;
  readonly key: string;
  built?: {
    readonly group: Valid<ApiGroupSpec>;
    readonly held: readonly (string | undefined)[];
    readonly apis: readonly Valid<ApiSpec>[];
    readonly inputs: readonly unknown[];
    readonly stale: readonly Stale[] | undefined;
  };
}

const NONE: readonly never[] = Object.freeze([]);

/** The inputs served at their last valid version. */
function staleOf(inputs: readonly (readonly { readonly stale?: Stale }[])[]): readonly Stale[] | undefined {
  let stale: Stale[] | undefined;
  for (const list of inputs) for (const input of list) if (input.stale !== undefined) (stale ??= []).push(input.stale);
  return stale;
}

/** An object's place in age order (as AgeOrder sorts), for the few objects assembly ranks. */
function rankOf(object: KubeObject): { readonly time: number; readonly key: string } {
  const t = object.metadata.creationTimestamp;
  return { time: t === undefined ? 0 : new Date(t).getTime(), key: objectKey(object.metadata.namespace, object.metadata.name) };
}

export class Translator {
  readonly #validate: ValidateFn;
  readonly #memo = new Memo();
  readonly #order = new AgeOrder();
  #previous: Translation | undefined;
  /** This pass's statuses, one entries array per step. */
  #parts: StatusEntries[] = [];
  readonly #assembly = new StatusAssembly();
  #lastComputed = 0;
  /** Each valid Api's group key, once per object. */
  readonly #groupKeys = new WeakMap<KubeObject, string>();
  /** Per ApiGroup object (an edit keeps the others' objects): what #group needs each pass. */
  readonly #groupRecords = new WeakMap<KubeObject, GroupRecord>();
  #ownership: Ownership | undefined;
  /** By kind, then `namespace/name`: each object's last valid version. */
  readonly #lastValid = new Map<TurnpikeKind, Map<string, LastValid>>();
  /** Each kind's last #valid result, and the last Apis by group: an edit patches them (patch.ts). */
  readonly #passes = new Map<TurnpikeKind, KindPass<Valid<unknown>>>();
  #apisPass: ApisPass<Valid<ApiSpec>> | undefined;
  #pass = 0;

  constructor(private readonly config: GatewayConfig, validate: ValidateFn) {
    this.#validate = memoiseValidate(validate);
  }

  /** How many steps the last pass computed (the rest were reused). */
  get computedSteps(): number {
    return this.#lastComputed;
  }

  translate(set: ResourceSet): Translation {
    this.#parts = [];
    this.#pass += 1;
    const groups = this.#valid<ApiGroupSpec>('ApiGroup', set);
    const { owners, labels } = this.#ownershipOf(groups);
    const byGroup = this.#apis(set, labels);
    const steps = groups.map((group) => this.#group(group, owners, byGroup, set));
    const apps = this.#valid<AppSpec>('App', set);
    const authz = this.#authz(set, apps);
    const rateLimit = this.#rateLimit(set, apps);
    const groupIRs = this.#policies(set, steps);
    const clusters = this.#clusters(steps);
    const tls = this.#memo.get('subdomainTls', [], set, (rec) => subdomainTls(this.config, rec));
    const parts = { groups: groupIRs, clusters, authz, ...(rateLimit === undefined ? {} : { rateLimit }), ...(tls === undefined ? {} : { subdomainTls: tls }) };
    const ir = assembleGateway(this.config, parts, this.#previous?.ir);
    const statuses = this.#assembly.assemble(this.#parts);
    this.#lastComputed = this.#memo.sweep();
    const previous = this.#previous;
    this.#previous = previous !== undefined && previous.ir === ir && previous.statuses === statuses ? previous : { ir, statuses };
    return this.#previous;
  }

  /** domainOwners, again only for another list of groups (#valid keeps the list while the ApiGroups are unchanged). */
  #ownershipOf(groups: readonly Valid<ApiGroupSpec>[]): Ownership {
    if (this.#ownership?.groups !== groups) {
      const owners = domainOwners(groups, this.config.baseDomain);
      this.#ownership = { groups, owners, labels: new Set(owners.keys()) };
    }
    return this.#ownership;
  }

  #add(entries: StatusEntries): void {
    this.#parts.push(entries);
  }

  /**
   * Valid objects of `kind`, oldest first; an invalid one that was valid before is its last valid
   * version (with `stale`), one never valid is refused and gets its status. Objects gone since the
   * last pass are forgotten.
   */
  #valid<S>(kind: TurnpikeKind, set: ResourceSet): readonly Valid<S>[] {
    const previous = this.#passes.get(kind);
    const patched = previous === undefined ? undefined : this.#patchedValid(kind, previous, set[kind]);
    if (patched === undefined || previous === undefined) return this.#allValid<S>(kind, set);
    for (const refuse of previous.refused) refuse(set);
    return patched as readonly Valid<S>[];
  }

  /** #valid in full: every object of the kind validated (memoised), in age order. */
  #allValid<S>(kind: TurnpikeKind, set: ResourceSet): readonly Valid<S>[] {
    const valid: Valid<S>[] = [];
    const position = new Map<string, number>();
    const refused: ((set: ResourceSet) => void)[] = [];
    let last = this.#lastValid.get(kind);
    if (last === undefined) this.#lastValid.set(kind, (last = new Map<string, LastValid>()));
    let remembered = 0;
    for (const object of this.#order.of(kind, set)) {
      const key = objectKey(object.metadata.namespace, object.metadata.name);
      const result = this.#validate(kind, object);
      let kept = last.get(key);
      if (result.ok) {
        if (kept?.object === object) kept.seen = this.#pass;
        else last.set(key, { object, spec: result.spec, seen: this.#pass });
        remembered += 1;
        position.set(key, valid.length);
        valid.push({ object, spec: result.spec as S });
        continue;
      }
      if (kept !== undefined && kept.object.metadata.uid !== object.metadata.uid) {
        last.delete(key); // re-created: the namesake's last valid version is not this object's
        kept = undefined;
      }
      if (kept === undefined) {
        const refuse = (current: ResourceSet): void => {
          this.#add(this.#memo.get(stepKey('invalid', kind, sourceOf(kind, object)), [object, result], current, () => invalidStep(kind, object, result.errors)));
        };
        refuse(set);
        refused.push(refuse);
        continue;
      }
      kept.seen = this.#pass;
      remembered += 1;
      if (kept.stale?.object !== object) kept.stale = { object, key: sourceKey(sourceOf(kind, object)), errors: result.errors };
      valid.push({ object: kept.object, spec: kept.spec as S, stale: kept.stale });
    }
    if (last.size > remembered) for (const [key, kept] of last) if (kept.seen !== this.#pass) last.delete(key);
    this.#passes.set(kind, { map: set[kind], valid, position, refused });
    return valid;
  }

  /** The fast path of #valid (patch.ts): the last pass's list with the replaced objects swapped in, if that is all. */
  #patchedValid(kind: TurnpikeKind, previous: KindPass<Valid<unknown>>, map: ReadonlyMap<string, KubeObject>): readonly Valid<unknown>[] | undefined {
    if (previous.map === map) return previous.valid;
    const replaced = replacedKeys(previous.map, map);
    const last = this.#lastValid.get(kind);
    if (replaced === undefined || last === undefined) return undefined;
    const updates: [number, string, Valid<unknown>][] = [];
    for (const key of replaced) {
      const at = previous.position.get(key);
      const object = map.get(key);
      if (at === undefined || object === undefined) return undefined;
      const result = this.#validate(kind, object);
      if (!result.ok) return undefined;
      updates.push([at, key, { object, spec: result.spec }]);
    }
    const valid = previous.valid.slice();
    for (const [at, key, entry] of updates) {
      valid[at] = entry;
      last.set(key, { object: entry.object, spec: entry.spec, seen: this.#pass });
    }
    this.#passes.set(kind, { ...previous, map, valid, basis: previous.valid, replacedAt: updates.map(([at]) => at) });
    return valid;
  }

  /** A step's statuses, with the current generation's status for each of its `stale` inputs (staleOf). */
  #reported(key: string, entries: StatusEntries, stale: readonly Stale[] | undefined, set: ResourceSet): StatusEntries {
    if (stale === undefined) return entries;
    const given = stale;
    return this.#memo.get(`stale:${key}`, [entries, ...given], set, () => staleStatuses(entries, given));
  }

  /** Valid Apis by group (`namespace/name`), oldest first. */
  #apis(set: ResourceSet, groups: ReadonlySet<string>): ReadonlyMap<string, readonly Valid<ApiSpec>[]> {
    const valid = this.#valid<ApiSpec>('Api', set);
    const previous = this.#apisPass;
    const pass = this.#passes.get('Api');
    if (previous !== undefined && sameSet(previous.groups, groups) && (previous.valid === valid || previous.valid === pass?.basis)) {
      const byGroup = previous.valid === valid ? previous.byGroup : patchedBuckets(previous, valid, pass?.replacedAt ?? [], (input) => this.#groupOf(input));
      if (byGroup !== undefined) {
        for (const orphan of previous.orphans) orphan(set);
        this.#apisPass = { ...previous, valid, byGroup };
        return byGroup;
      }
    }
    const byGroup = new Map<string, Valid<ApiSpec>[]>();
    const orphans: ((set: ResourceSet) => void)[] = [];
    for (const input of valid) {
      const group = this.#groupOf(input);
      if (!groups.has(group)) {
        const orphan = (current: ResourceSet): void => {
          const key = stepKey('orphan', 'Api', sourceOf('Api', input.object));
          this.#add(this.#reported(key, this.#memo.get(key, [input.object], current, (rec) => orphanStep(input, rec)), staleOf([[input]]), current));
        };
        orphan(set);
        orphans.push(orphan);
        continue;
      }
      const list = byGroup.get(group);
      if (list === undefined) byGroup.set(group, [input]);
      else list.push(input);
    }
    this.#apisPass = { valid, groups, byGroup, orphans };
    return byGroup;
  }

  #groupOf(input: ApiInput): string {
    let group = this.#groupKeys.get(input.object);
    if (group === undefined) {
      group = `${input.object.metadata.namespace ?? 'default'}/${input.spec.groupRef.name}`;
      this.#groupKeys.set(input.object, group);
    }
    return group;
  }

  /** One group's step. Its memo inputs are built again only when its owners entry or Apis are other arrays (an edit keeps the others'). */
  #group(group: Valid<ApiGroupSpec>, owners: ReadonlyMap<string, readonly (string | undefined)[]>, byGroup: ReadonlyMap<string, readonly Valid<ApiSpec>[]>, set: ResourceSet): GroupStep {
    const record = this.#recordOf(group.object);
    const held = owners.get(record.label) ?? NONE;
    const apis = byGroup.get(record.label) ?? NONE;
    let built = record.built;
    if (built?.group !== group || built.held !== held || built.apis !== apis) {
      const inputs = [group.object, held.map((owner) => owner ?? '').join('\n'), ...apis.map((api) => api.object)];
      record.built = built = { group, held, apis, inputs, stale: staleOf([[group], apis]) };
    }
    const step = this.#memo.get(record.key, built.inputs, set, (rec) => groupStep(group, held, apis, { set: rec, baseDomain: this.config.baseDomain }));
    this.#add(this.#reported(record.key, step.statuses, built.stale, set));
    return step;
  }

  #recordOf(object: KubeObject): GroupRecord {
    let record = this.#groupRecords.get(object);
    if (record === undefined) {
      const source = sourceOf('ApiGroup', object);
      record = { label: groupLabel(source), key: stepKey('group', 'ApiGroup', source) };
      this.#groupRecords.set(object, record);
    }
    return record;
  }

  #authz(set: ResourceSet, apps: readonly Valid<AppSpec>[]): AuthzIR {
    const keys = this.#valid<SignatureKeySpec>('SignatureKey', set);
    const inputs = [...apps.map((a) => a.object), '|', ...keys.map((k) => k.object)];
    const step = this.#memo.get('authz', inputs, set, (rec) => authzStep(apps, keys, this.config, rec));
    this.#add(this.#reported('authz', step.statuses, staleOf([apps, keys]), set));
    return step.authz;
  }

  #rateLimit(set: ResourceSet, apps: readonly Valid<AppSpec>[]): RateLimitIR | undefined {
    return this.#memo.get('rateLimit', apps.map((a) => a.object), set, () => rateLimitOf(apps, this.config));
  }

  /** The groups' IR with policies attached; the policies' statuses. */
  #policies(set: ResourceSet, steps: readonly GroupStep[]): ApiGroupIR[] {
    const throttles = this.#valid<ThrottlePolicySpec>('ThrottlePolicy', set);
    const acls = this.#valid<AclPolicySpec>('AclPolicy', set);
    const inputs = [...throttles.map((t) => t.object), '|', ...acls.map((a) => a.object)];
    const policies = this.#memo.get('policies', inputs, set, (rec) => policyStep({ throttles, acls }, rec));
    if (!hasPolicies(policies.world)) {
      this.#add(this.#reported('policies', policies.statuses, staleOf([throttles, acls]), set));
      return steps.map((step) => step.ir);
    }
    const attached = new Map<string, GroupPolicies>();
    const groupIRs = steps.map((step) => {
      const label = groupLabel(step.info.source);
      const result = this.#memo.get(stepKey('attach', 'ApiGroup', step.info.source), [step.ir.routes, policies.world], set, () => decorateGroup(policies.world, step.ir.routes, step.info.source));
      attached.set(label, result);
      if (result.routes === step.ir.routes) return step.ir;
      return this.#memo.get(stepKey('decorated', 'ApiGroup', step.info.source), [step.ir, result.routes], set, () => ({ ...step.ir, routes: result.routes }));
    });
    // Conflicts are booked in the order a full translation meets routes: groups by their oldest served Api.
    const inRouteOrder = steps.flatMap((step) => (step.firstServed === undefined ? [] : [{ step, rank: rankOf(step.firstServed) }]))
      .sort((a, b) => a.rank.time - b.rank.time || (a.rank.key < b.rank.key ? -1 : a.rank.key > b.rank.key ? 1 : 0))
      .flatMap(({ step }) => attached.get(groupLabel(step.info.source)) ?? []);
    const book = new StatusBook();
    book.restore(policies.statuses);
    settlePolicies(policies.world, inRouteOrder, this.config, book);
    this.#add(this.#reported('settled', book.entries(), staleOf([throttles, acls]), set));
    return groupIRs;
  }

  /** Clusters by name: groups in age order, each group's by first use. */
  #clusters(steps: readonly GroupStep[]): ClusterIR[] {
    const clusters = new Map<string, ClusterIR>();
    for (const step of steps) {
      for (const cluster of step.clusters) if (!clusters.has(cluster.name)) clusters.set(cluster.name, cluster);
    }
    return [...clusters.values()];
  }
}

/** One full translation (nothing remembered). */
export function translateResourceSet(set: ResourceSet, config: GatewayConfig, validate: ValidateFn): Translation {
  return new Translator(config, validate).translate(set);
}
