/**
 * AclPolicy → the IpAclIR (type IP) or AppAclIR (type APP) of each route it applies to. An Api
 * carries at most one policy of each type per environment (attach.ts); APP rules apply only to
 * Apis with auth type APP (there is no App to match otherwise).
 */
import { appId, type AppAclIR, type IpAclIR, type RouteIR } from '@turnpike/xds-server';
import type { AclPolicySpec } from '../api';
import { objectKey, type KubeObject, type ResourceSet } from '../resources/resourceset';
import { checkTargets, type Attachable } from './attach';
import { entryToCidrs } from './cidr';
import { sourceOf } from './objects';
import type { StatusBook } from './status';

export interface AclInput {
  readonly object: KubeObject;
  readonly spec: AclPolicySpec;
}

export interface AclAttachables {
  readonly ip: Attachable<IpAclIR>[];
  readonly app: Attachable<AppAclIR>[];
}

function ipAcl(input: AclInput): IpAclIR {
  const cidrs = (input.spec.ips ?? []).flatMap(entryToCidrs);
  return { source: sourceOf('AclPolicy', input.object), action: input.spec.action, cidrs };
}

function appAcl(input: AclInput, set: ResourceSet, book: StatusBook): AppAclIR {
  const source = sourceOf('AclPolicy', input.object);
  const apps = input.spec.apps ?? [];
  const missing = apps.filter((name) => !set.App.has(objectKey(source.namespace, name)));
  // Kept in the rules: an App created later is covered as soon as it exists.
  if (missing.length > 0) book.unresolved(source, 'AppNotFound', `apps: App ${missing.map((name) => `${source.namespace}/${name}`).join(', ')} not found`);
  return { source, action: input.spec.action, appIds: apps.map((name) => appId({ namespace: source.namespace, name })) };
}

/** The valid AclPolicies (oldest first), split by type. */
export function aclAttachables(inputs: readonly AclInput[], set: ResourceSet, book: StatusBook): AclAttachables {
  const out: AclAttachables = { ip: [], app: [] };
  for (const input of inputs) {
    const source = sourceOf('AclPolicy', input.object);
    checkTargets(source, input.spec.targetRefs, set, book);
    const common = { source, targetRefs: input.spec.targetRefs, ...(input.spec.environments === undefined ? {} : { environments: input.spec.environments }) };
    if (input.spec.type === 'IP') {
      const acl = ipAcl(input);
      if (acl.cidrs.length > 0) out.ip.push({ ...common, value: () => acl });
    } else {
      const acl = appAcl(input, set, book);
      out.app.push({ ...common, value: (route: RouteIR) => (route.auth.type === 'APP' ? acl : undefined) });
    }
  }
  return out;
}
