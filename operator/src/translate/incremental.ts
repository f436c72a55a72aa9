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
 * nothing changed. Results are the same as a full translation's.
 */
import type { ApiGroupIR, AuthzIR, ClusterIR, RateLimitIR, SourceRef } from '@turnpike/xds-server';
import type { ApiGroupSpec, ApiSpec, AppSpec, SignatureKeySpec, ThrottlePolicySpec, AclPolicySpec } from '../api';
import type { GatewayConfig } from '../config';
import { objectKey, type KubeObject, type ResourceSet, type TurnpikeKind } from '../provider/resourceset';
import type { ApiInput } from './api';
import { domainOwners, type GroupInput } from './apigroup';
import { assembleGateway, StatusAssembly } from './assemble';
import { Memo, memoiseValidate } from './memo';
import { sourceOf } from './objects';
import { AgeOrder } from './order';
import { decorateGroup, hasPolicies, rateLimitOf, settlePolicies, type GroupPolicies } from './policies';
import { StatusBook } from './status';
import { authzStep, groupStep, invalidStep, orphanStep, policyStep, stepKey, type GroupStep, type StatusEntries } from './units';
import type { Translation, ValidateFn } from '.';

interface Valid<S> {
  readonly object: KubeObject;
  readonly spec: S;
}

const groupLabel = (source: SourceRef): string => `${source.namespace}/${source.name}`;

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

  constructor(private readonly config: GatewayConfig, validate: ValidateFn) {
    this.#validate = memoiseValidate(validate);
  }

  /** How many steps the last pass computed (the rest were reused). */
  get computedSteps(): number {
    return this.#lastComputed;
  }

  translate(set: ResourceSet): Translation {
    this.#parts = [];
    const groups = this.#valid<ApiGroupSpec>('ApiGroup', set);
    const owners = domainOwners(groups, this.config.baseDomain);
    const byGroup = this.#apis(set, new Set(owners.keys()));
    const steps = groups.map((group) => this.#group(group, owners, byGroup, set));
    const authz = this.#authz(set);
    const rateLimit = this.#rateLimit(set);
    const groupIRs = this.#policies(set, steps);
    const clusters = this.#clusters(steps);
    const ir = assembleGateway(this.config, { groups: groupIRs, clusters, authz, ...(rateLimit === undefined ? {} : { rateLimit }) }, this.#previous?.ir);
    const statuses = this.#assembly.assemble(this.#parts);
    this.#lastComputed = this.#memo.sweep();
    const previous = this.#previous;
    this.#previous = previous !== undefined && previous.ir === ir && previous.statuses === statuses ? previous : { ir, statuses };
    return this.#previous;
  }

  #add(entries: StatusEntries): void {
    this.#parts.push(entries);
  }

  /** Valid objects of `kind`, oldest first; refused ones get their status. */
  #valid<S>(kind: TurnpikeKind, set: ResourceSet): Valid<S>[] {
    const valid: Valid<S>[] = [];
    for (const object of this.#order.of(kind, set)) {
      const result = this.#validate(kind, object);
      if (result.ok) valid.push({ object, spec: result.spec as S });
      else this.#add(this.#memo.get(stepKey('invalid', kind, sourceOf(kind, object)), [object, result], set, () => invalidStep(kind, object, result.errors)));
    }
    return valid;
  }

  /** Valid Apis by group (`namespace/name`), oldest first. */
  #apis(set: ResourceSet, groups: ReadonlySet<string>): Map<string, ApiInput[]> {
    const byGroup = new Map<string, ApiInput[]>();
    for (const input of this.#valid<ApiSpec>('Api', set)) {
      const group = this.#groupOf(input);
      if (!groups.has(group)) {
        this.#add(this.#memo.get(stepKey('orphan', 'Api', sourceOf('Api', input.object)), [input.object], set, (rec) => orphanStep(input, rec)));
        continue;
      }
      const list = byGroup.get(group);
      if (list === undefined) byGroup.set(group, [input]);
      else list.push(input);
    }
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

  #group(group: GroupInput, owners: ReadonlyMap<string, readonly (string | undefined)[]>, byGroup: ReadonlyMap<string, readonly ApiInput[]>, set: ResourceSet): GroupStep {
    const source = sourceOf('ApiGroup', group.object);
    const label = groupLabel(source);
    const held = owners.get(label) ?? [];
    const apis = byGroup.get(label) ?? [];
    const inputs = [group.object, held.map((owner) => owner ?? '').join('\n'), ...apis.map((api) => api.object)];
    const step = this.#memo.get(stepKey('group', 'ApiGroup', source), inputs, set, (rec) => groupStep(group, held, apis, { set: rec, baseDomain: this.config.baseDomain }));
    this.#add(step.statuses);
    return step;
  }

  #authz(set: ResourceSet): AuthzIR {
    const apps = this.#valid<AppSpec>('App', set);
    const keys = this.#valid<SignatureKeySpec>('SignatureKey', set);
    const inputs = [...apps.map((a) => a.object), '|', ...keys.map((k) => k.object)];
    const step = this.#memo.get('authz', inputs, set, (rec) => authzStep(apps, keys, this.config, rec));
    this.#add(step.statuses);
    return step.authz;
  }

  #rateLimit(set: ResourceSet): RateLimitIR | undefined {
    const apps = this.#order.of('App', set);
    return this.#memo.get('rateLimit', apps, set, () => rateLimitOf(apps, this.config, this.#validate));
  }

  /** The groups' IR with policies attached; the policies' statuses. */
  #policies(set: ResourceSet, steps: readonly GroupStep[]): ApiGroupIR[] {
    const throttles = this.#valid<ThrottlePolicySpec>('ThrottlePolicy', set);
    const acls = this.#valid<AclPolicySpec>('AclPolicy', set);
    const inputs = [...throttles.map((t) => t.object), '|', ...acls.map((a) => a.object)];
    const policies = this.#memo.get('policies', inputs, set, (rec) => policyStep({ throttles, acls }, rec));
    if (!hasPolicies(policies.world)) {
      this.#add(policies.statuses);
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
    this.#add(book.entries());
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
