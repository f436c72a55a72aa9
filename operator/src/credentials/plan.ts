/**
 * Which credential Secrets the operator must generate (docs/huawei-compatibility.md §3, §9: omitted AppKey/AppSecret
 * and signature keys are generated): an App without spec.credentialsSecretRef gets
 * `<app>-credentials`, a SignatureKey without spec.secretRef gets `<name>-signature`. Pure: the
 * values come from an injected generator, and only the Secret's missing keys are planned, so a key
 * set by hand is kept. Secrets named by a ref are never written.
 */
import { AppSecretKeys, generatedCredentialsSecretName, generatedSignatureSecretName, SignatureSecretKeys } from '../api';
import type { KubeObject, ResourceSet } from '../resources/resourceset';
import { objectKey } from '../resources/resourceset';

export interface CredentialGenerator {
  appKey(): string;
  appSecret(): string;
  appCode(): string;
  signatureKey(type: 'HMAC' | 'BASIC'): string;
  signatureSecret(type: 'HMAC' | 'BASIC'): string;
}

export interface SecretPlan {
  readonly namespace: string;
  readonly name: string;
  /** The object the Secret belongs to (its ownerReference in a cluster). */
  readonly owner: { readonly kind: 'App' | 'SignatureKey'; readonly name: string; readonly uid?: string };
  /** create: the Secret does not exist; complete: it exists and lacks `values`' keys. */
  readonly action: 'create' | 'complete';
  /** Values to write (secret material: never log them). */
  readonly values: Readonly<Record<string, string>>;
}

function secretKeys(secret: KubeObject | undefined): Set<string> {
  return new Set([...Object.keys(secret?.data ?? {}), ...Object.keys(secret?.stringData ?? {})]);
}

function specOf(object: KubeObject): Readonly<Record<string, unknown>> {
  return typeof object.spec === 'object' && object.spec !== null ? (object.spec as Readonly<Record<string, unknown>>) : {};
}

function hasRef(spec: Readonly<Record<string, unknown>>, field: string): boolean {
  return spec[field] !== undefined && spec[field] !== null;
}

interface Wanted {
  readonly kind: SecretPlan['owner']['kind'];
  /** The Secret's name. */
  readonly name: string;
  /** Keys the Secret must have. */
  readonly keys: Readonly<Record<string, () => string>>;
  /** Keys written only when the Secret is created (a removed AppCode stays removed). */
  readonly onCreate: Readonly<Record<string, () => string>>;
}

function plan(set: ResourceSet, object: KubeObject, wanted: Wanted): SecretPlan | undefined {
  const { kind, name } = wanted;
  const namespace = object.metadata.namespace ?? 'default';
  const existing = set.Secret.get(objectKey(namespace, name));
  const present = secretKeys(existing);
  const missing = Object.entries(existing === undefined ? { ...wanted.keys, ...wanted.onCreate } : wanted.keys).filter(([key]) => !present.has(key));
  if (missing.length === 0) return undefined;
  const uid = object.metadata.uid;
  return {
    namespace, name,
    owner: { kind, name: object.metadata.name, ...(uid === undefined ? {} : { uid }) },
    action: existing === undefined ? 'create' : 'complete',
    values: Object.fromEntries(missing.map(([key, make]) => [key, make()])),
  };
}

/** Every generated Secret that is missing or incomplete in `set`, in a stable order. */
export function planGeneratedSecrets(set: ResourceSet, generate: CredentialGenerator): SecretPlan[] {
  const plans: SecretPlan[] = [];
  for (const app of set.App.values()) {
    if (hasRef(specOf(app), 'credentialsSecretRef')) continue;
    const keys = { [AppSecretKeys.appKey]: () => generate.appKey(), [AppSecretKeys.appSecret]: () => generate.appSecret() };
    const onCreate = { [AppSecretKeys.appCodes]: () => generate.appCode() };
    const p = plan(set, app, { kind: 'App', name: generatedCredentialsSecretName(app.metadata.name), keys, onCreate });
    if (p !== undefined) plans.push(p);
  }
  for (const key of set.SignatureKey.values()) {
    const spec = specOf(key);
    const type = spec.type;
    if (hasRef(spec, 'secretRef') || (type !== 'HMAC' && type !== 'BASIC')) continue;
    const keys = { [SignatureSecretKeys.key]: () => generate.signatureKey(type), [SignatureSecretKeys.secret]: () => generate.signatureSecret(type) };
    const p = plan(set, key, { kind: 'SignatureKey', name: generatedSignatureSecretName(key.metadata.name), keys, onCreate: {} });
    if (p !== undefined) plans.push(p);
  }
  return plans.sort((a, b) => (objectKey(a.namespace, a.name) < objectKey(b.namespace, b.name) ? -1 : 1));
}
