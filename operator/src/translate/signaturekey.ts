/**
 * SignatureKey → SignatureKeyIR (docs/huawei-compatibility.md §9): key and secret from the Secret (spec.secretRef, or
 * the `<name>-signature` Secret the operator generates), checked against Huawei's formats for the
 * key's type. Pure; messages never hold the values.
 */
import { SecretValue, type SignatureKeyIR } from '@turnpike/xds-server';
import { CredentialFormats, generatedSignatureSecretName, SignatureSecretKeys, type SignatureKeySpec } from '../api';
import type { KubeObject, ResourceSet } from '../resources/resourceset';
import { hasSecret, secretValue, sourceOf } from './objects';
import type { StatusBook } from './status';

export interface SignatureKeyInput {
  readonly object: KubeObject;
  readonly spec: SignatureKeySpec;
}

/** The Secret holding a SignatureKey's values, and whether the operator generates it. */
function signatureSecretOf(name: string, spec: SignatureKeySpec): { readonly name: string; readonly generated: boolean } {
  const ref = spec.secretRef?.name;
  return ref === undefined ? { name: generatedSignatureSecretName(name), generated: true } : { name: ref, generated: false };
}

const RULES = {
  HMAC: {
    key: [CredentialFormats.hmacKey, "key must be 8-32 characters, start with a letter or digit, then letters, digits, '_' and '-'"],
    secret: [CredentialFormats.hmacSecret, 'secret must be 16-64 characters of letters, digits and _-!@#$%'],
  },
  BASIC: {
    key: [CredentialFormats.basicKey, "key (user name) must be 4-32 characters, start with a letter, then letters, digits, '_' and '-'"],
    secret: [CredentialFormats.basicSecret, 'secret (password) must be 8-64 characters of letters, digits and _-!@#$%'],
  },
} as const;

export function translateSignatureKeys(inputs: readonly SignatureKeyInput[], set: ResourceSet, book: StatusBook): SignatureKeyIR[] {
  const keys: SignatureKeyIR[] = [];
  for (const { object, spec } of inputs) {
    const source = sourceOf('SignatureKey', object);
    const secret = signatureSecretOf(source.name, spec);
    const label = `Secret ${source.namespace}/${secret.name}`;
    const key = secretValue(set, source.namespace, secret.name, SignatureSecretKeys.key)?.trim();
    const value = secretValue(set, source.namespace, secret.name, SignatureSecretKeys.secret)?.trim();
    if (key === undefined || value === undefined) {
      const why = hasSecret(set, source.namespace, secret.name)
        ? `${label} has no key ${key === undefined ? SignatureSecretKeys.key : SignatureSecretKeys.secret}`
        : secret.generated ? `${label} does not exist yet: the operator generates it (no secretRef)` : `secretRef: ${label} does not exist`;
      book.unresolved(source, 'SecretNotFound', why);
      continue;
    }
    const rules = RULES[spec.type];
    if (!rules.key[0].test(key)) {
      book.unresolved(source, 'InvalidSecret', `${label}: ${rules.key[1]}`);
      continue;
    }
    if (!rules.secret[0].test(value)) {
      book.unresolved(source, 'InvalidSecret', `${label}: ${rules.secret[1]}`);
      continue;
    }
    keys.push({ source, type: spec.type, key, secret: new SecretValue(value) });
    book.served(source);
  }
  return keys;
}
