/**
 * App → AppIR (docs/huawei-compatibility.md §3): credentials from the App's Secret (spec.credentialsSecretRef, or the
 * `<app>-credentials` Secret the operator generates), checked against Huawei's formats, and grants
 * resolved to Apis and ApiGroups. Pure: generating a missing Secret is the credentials
 * controller's job (operator/src/credentials); until it exists the App reports SecretNotFound.
 * Messages name keys and rules, never values: only the AppKey (an identifier) reaches status.
 */
import { RELEASE, SecretValue, type AppIR, type GrantIR, type SourceRef } from '@turnpike/xds-server';
import { AppSecretKeys, CredentialFormats, generatedCredentialsSecretName, MAX_APP_CODES, type AppSpec } from '../api';
import { objectKey, type KubeObject, type ResourceSet } from '../resources/resourceset';
import { hasSecret, secretValue, sourceOf } from './objects';
import type { StatusBook } from './status';

export interface AppInput {
  readonly object: KubeObject;
  readonly spec: AppSpec;
}

type Credentials = { readonly appKey: string; readonly appSecret: string; readonly appCodes: readonly string[] };
type Problem = { readonly reason: 'SecretNotFound' | 'InvalidSecret'; readonly message: string };

/** The Secret holding an App's credentials, and whether the operator generates it. */
function credentialsSecretOf(name: string, spec: AppSpec): { readonly name: string; readonly generated: boolean } {
  const ref = spec.credentialsSecretRef?.name;
  return ref === undefined ? { name: generatedCredentialsSecretName(name), generated: true } : { name: ref, generated: false };
}

/** AppCodes are one per line; blank lines and surrounding spaces do not count. */
function parseAppCodes(text: string | undefined): string[] {
  return (text ?? '').split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

function missing(set: ResourceSet, source: SourceRef, secret: { name: string; generated: boolean }, key?: string): Problem {
  const label = `Secret ${source.namespace}/${secret.name}`;
  if (key !== undefined) return { reason: 'SecretNotFound', message: `${label} has no key ${key}` };
  if (hasSecret(set, source.namespace, secret.name)) return { reason: 'SecretNotFound', message: `${label} has no appKey or appSecret` };
  return secret.generated
    ? { reason: 'SecretNotFound', message: `${label} does not exist yet: the operator generates it (no credentialsSecretRef)` }
    : { reason: 'SecretNotFound', message: `credentialsSecretRef: ${label} does not exist` };
}

function readCredentials(set: ResourceSet, source: SourceRef, spec: AppSpec): Credentials | Problem {
  const secret = credentialsSecretOf(source.name, spec);
  const read = (key: string): string | undefined => secretValue(set, source.namespace, secret.name, key);
  const appKey = read(AppSecretKeys.appKey)?.trim();
  const appSecret = read(AppSecretKeys.appSecret)?.trim();
  if (appKey === undefined && appSecret === undefined) return missing(set, source, secret);
  if (appKey === undefined) return missing(set, source, secret, AppSecretKeys.appKey);
  if (appSecret === undefined) return missing(set, source, secret, AppSecretKeys.appSecret);
  const label = `Secret ${source.namespace}/${secret.name}`;
  if (!CredentialFormats.appKey.test(appKey)) {
    return { reason: 'InvalidSecret', message: `${label}: appKey must be 8-200 characters, start with a letter or digit, then letters, digits, '-' and '_'` };
  }
  if (!CredentialFormats.appSecret.test(appSecret)) {
    return { reason: 'InvalidSecret', message: `${label}: appSecret must be 8-128 characters, start with a letter or digit, then letters, digits and _-!@#$%` };
  }
  const appCodes = parseAppCodes(read(AppSecretKeys.appCodes));
  if (appCodes.length > MAX_APP_CODES) return { reason: 'InvalidSecret', message: `${label}: appCodes holds ${appCodes.length} AppCodes, at most ${MAX_APP_CODES} are allowed` };
  const bad = appCodes.findIndex((code) => !CredentialFormats.appCode.test(code));
  if (bad >= 0) {
    return { reason: 'InvalidSecret', message: `${label}: appCodes line ${bad + 1} must be 64-180 characters of letters, digits and +_!@#$%-/=, starting with a letter, digit, '+' or '/'` };
  }
  return { appKey, appSecret, appCodes };
}

const isProblem = (value: Credentials | Problem): value is Problem => 'reason' in value;

/** Grants whose target exists; the first missing target is reported as TargetNotFound. */
function resolveGrants(source: SourceRef, spec: AppSpec, set: ResourceSet, book: StatusBook): GrantIR[] {
  const grants: GrantIR[] = [];
  for (const grant of spec.grants ?? []) {
    const objects = grant.kind === 'Api' ? set.Api : set.ApiGroup;
    if (!objects.has(objectKey(source.namespace, grant.name))) {
      book.unresolved(source, 'TargetNotFound', `grants: ${grant.kind} ${source.namespace}/${grant.name} does not exist`);
      continue;
    }
    const target: SourceRef = { kind: grant.kind, namespace: source.namespace, name: grant.name };
    grants.push({ kind: grant.kind, target, environments: grant.environments ?? [RELEASE] });
  }
  return grants;
}

/**
 * Translates valid Apps, oldest first: an AppKey or AppCode already used by an older App makes the
 * newer App Conflicted (an AppKey must name one App), and the newer one is not served.
 */
export function translateApps(inputs: readonly AppInput[], set: ResourceSet, book: StatusBook): AppIR[] {
  const keyOwners = new Map<string, string>();
  const codeOwners = new Map<string, string>();
  const apps: AppIR[] = [];
  for (const { object, spec } of inputs) {
    const source = sourceOf('App', object);
    const label = `${source.namespace}/${source.name}`;
    const credentials = readCredentials(set, source, spec);
    if (isProblem(credentials)) {
      book.unresolved(source, credentials.reason, credentials.message);
      continue;
    }
    const keyOwner = keyOwners.get(credentials.appKey);
    const codeOwner = credentials.appCodes.map((code) => codeOwners.get(code)).find((owner) => owner !== undefined);
    if (keyOwner !== undefined || codeOwner !== undefined) {
      const what = keyOwner !== undefined ? `its appKey is already used by App ${keyOwner}` : `one of its appCodes is already used by App ${codeOwner ?? ''}`;
      book.reject(source, 'Conflicted', `${what}; this App is not served`);
      continue;
    }
    keyOwners.set(credentials.appKey, label);
    for (const code of credentials.appCodes) codeOwners.set(code, label);
    book.field(source, 'appKey', credentials.appKey);
    const grants = resolveGrants(source, spec, set, book);
    apps.push({ source, appKey: credentials.appKey, appSecret: new SecretValue(credentials.appSecret), appCodes: credentials.appCodes.map((c) => new SecretValue(c)), grants });
    book.served(source);
  }
  return apps;
}
