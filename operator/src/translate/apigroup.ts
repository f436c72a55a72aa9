/** ApiGroup → the group's virtual host data (subdomain, bound domains with TLS) and environments. */
import { SecretValue, type BoundDomainIR, type DownstreamTlsIR, type SourceRef } from '@turnpike/xds-server';
import type { ApiGroupSpec } from '../api';
import type { KubeObject, ResourceSet } from '../provider/resourceset';
import { hasSecret, secretValue, sourceOf } from './objects';
import type { StatusBook } from './status';

export const RELEASE = 'RELEASE';

/** A translated group, before its routes are known. */
export interface GroupInfo {
  readonly source: SourceRef;
  readonly subdomain?: string;
  readonly domains: readonly BoundDomainIR[];
  /** Environment name → variables; RELEASE is always present. */
  readonly environments: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

export interface GroupInput {
  readonly object: KubeObject;
  readonly spec: ApiGroupSpec;
}

function environmentsOf(spec: ApiGroupSpec): Map<string, Readonly<Record<string, string>>> {
  const environments = new Map<string, Readonly<Record<string, string>>>([[RELEASE, {}]]);
  for (const env of spec.environments ?? []) environments.set(env.name, env.variables ?? {});
  return environments;
}

function tlsOf(set: ResourceSet, source: SourceRef, secretName: string, book: StatusBook): DownstreamTlsIR | undefined {
  const { namespace } = source;
  const cert = secretValue(set, namespace, secretName, 'tls.crt');
  const key = secretValue(set, namespace, secretName, 'tls.key');
  if (cert === undefined || key === undefined) {
    const why = hasSecret(set, namespace, secretName) ? 'lacks tls.crt or tls.key' : 'does not exist';
    book.unresolved(source, 'SecretNotFound', `TLS Secret ${namespace}/${secretName} ${why}`);
    return undefined;
  }
  if (!cert.includes('-----BEGIN CERTIFICATE-----') || !key.includes('-----BEGIN')) {
    book.unresolved(source, 'InvalidSecret', `TLS Secret ${namespace}/${secretName}: tls.crt and tls.key must be PEM`);
    return undefined;
  }
  return { source: { kind: 'Secret', namespace, name: secretName }, certificateChain: cert, privateKey: new SecretValue(key) };
}

/**
 * Translates the valid groups, oldest first so that a hostname bound twice stays with the group
 * that had it first; the newer group is served without it and reports Conflicted.
 */
export function translateGroups(
  inputs: readonly GroupInput[],
  set: ResourceSet,
  baseDomain: string,
  book: StatusBook,
): Map<string, GroupInfo> {
  const owners = new Map<string, string>();
  const groups = new Map<string, GroupInfo>();
  for (const { object, spec } of inputs) {
    const source = sourceOf('ApiGroup', object);
    const label = `${source.namespace}/${source.name}`;
    const enabled = spec.defaultSubdomain?.enabled ?? true;
    const subdomain = enabled ? `${source.name}.${source.namespace}.${baseDomain}` : undefined;
    if (subdomain !== undefined) {
      owners.set(subdomain, label);
      book.field(source, 'subdomain', subdomain);
    }
    const domains: BoundDomainIR[] = [];
    for (const domain of spec.domains ?? []) {
      const owner = owners.get(domain.hostname);
      if (owner !== undefined) {
        book.reject(source, 'Conflicted', `domain ${domain.hostname} is already bound to ApiGroup ${owner}; this group is served without it`);
        continue;
      }
      owners.set(domain.hostname, label);
      const tls = domain.tls === undefined ? undefined : tlsOf(set, source, domain.tls.secretName, book);
      domains.push({
        hostname: domain.hostname,
        ...(tls === undefined ? {} : { tls }),
        minTlsVersion: domain.minTlsVersion ?? 'TLSv1.2',
        httpsRedirect: (domain.httpsRedirect ?? false) && tls !== undefined,
      });
    }
    // A valid group is served (its virtual host exists) even before it has Apis.
    book.served(source);
    groups.set(label, { source, ...(subdomain === undefined ? {} : { subdomain }), domains, environments: environmentsOf(spec) });
  }
  return groups;
}
