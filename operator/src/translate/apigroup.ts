/** ApiGroup → the group's virtual host data (subdomain, bound domains with TLS) and environments. */
import { RELEASE, SecretValue, type BoundDomainIR, type DownstreamTlsIR, type SourceRef } from '@turnpike/xds-server';
import type { ApiGroupSpec } from '../api';
import type { KubeObject, ResourceSet } from '../resources/resourceset';
import { hasSecret, secretValue, sourceOf } from './objects';
import type { StatusBook } from './status';

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

function subdomainOf(source: SourceRef, spec: ApiGroupSpec, baseDomain: string): string | undefined {
  return (spec.defaultSubdomain?.enabled ?? true) ? `${source.name}.${source.namespace}.${baseDomain}` : undefined;
}

/**
 * Who holds each bound hostname, deciding across groups (oldest first) so that a hostname bound
 * twice stays with the group that had it first. Per group (by `namespace/name`), per entry of
 * spec.domains: the label of the group that already holds it, or undefined when this one does.
 */
export function domainOwners(inputs: readonly GroupInput[], baseDomain: string): Map<string, readonly (string | undefined)[]> {
  const owners = new Map<string, string>();
  const out = new Map<string, (string | undefined)[]>();
  for (const { object, spec } of inputs) {
    const source = sourceOf('ApiGroup', object);
    const label = `${source.namespace}/${source.name}`;
    const subdomain = subdomainOf(source, spec, baseDomain);
    if (subdomain !== undefined) owners.set(subdomain, label);
    out.set(label, (spec.domains ?? []).map((domain) => {
      const owner = owners.get(domain.hostname);
      if (owner === undefined) owners.set(domain.hostname, label);
      return owner;
    }));
  }
  return out;
}

/**
 * Translates one valid group; `owners` (from domainOwners) says which of its hostnames an older
 * group holds: the group is served without them and reports Conflicted.
 */
export function translateGroup(input: GroupInput, owners: readonly (string | undefined)[], set: ResourceSet, baseDomain: string, book: StatusBook): GroupInfo {
  const { object, spec } = input;
  const source = sourceOf('ApiGroup', object);
  const subdomain = subdomainOf(source, spec, baseDomain);
  if (subdomain !== undefined) book.field(source, 'subdomain', subdomain);
  const domains: BoundDomainIR[] = [];
  (spec.domains ?? []).forEach((domain, i) => {
    const owner = owners[i];
    if (owner !== undefined) {
      book.reject(source, 'Conflicted', `domain ${domain.hostname} is already bound to ApiGroup ${owner}; this group is served without it`);
      return;
    }
    const tls = domain.tls === undefined ? undefined : tlsOf(set, source, domain.tls.secretName, book);
    domains.push({
      hostname: domain.hostname,
      ...(tls === undefined ? {} : { tls }),
      minTlsVersion: domain.minTlsVersion ?? 'TLSv1.2',
      httpsRedirect: (domain.httpsRedirect ?? false) && tls !== undefined,
    });
  });
  // A valid group is served (its virtual host exists) even before it has Apis.
  book.served(source);
  return { source, ...(subdomain === undefined ? {} : { subdomain }), domains, environments: environmentsOf(spec) };
}
