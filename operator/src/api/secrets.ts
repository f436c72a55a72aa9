/**
 * Formats of the values Turnpike keeps in Secrets (never in specs): App credentials and signature
 * keys. Limits follow Huawei APIG (docs/huawei-compatibility.md §3 and §9) so credentials move between the two.
 * The operator checks Secrets against these and reports ResolvedRefs=False/InvalidSecret.
 */

/** Keys of an App's credentials Secret (spec.credentialsSecretRef or <app>-credentials). */
export const AppSecretKeys = {
  appKey: 'appKey',
  appSecret: 'appSecret',
  /** AppCodes, one per line; optional. */
  appCodes: 'appCodes',
} as const;

/** Keys of a SignatureKey's Secret (spec.secretRef or <name>-signature). */
export const SignatureSecretKeys = {
  key: 'key',
  secret: 'secret',
} as const;

/** Name of the Secret the operator generates when an App has no credentialsSecretRef. */
export function generatedCredentialsSecretName(appName: string): string {
  return `${appName}-credentials`;
}

/** Name of the Secret the operator generates when a SignatureKey has no secretRef. */
export function generatedSignatureSecretName(keyName: string): string {
  return `${keyName}-signature`;
}

/** At most this many AppCodes per App. */
export const MAX_APP_CODES = 5;

/** Value formats; each regex anchors the whole value, length included. */
export const CredentialFormats = {
  /** 8-200 chars, starts with a letter or digit, then letters, digits, '-', '_'. */
  appKey: /^[A-Za-z0-9][A-Za-z0-9_-]{7,199}$/,
  /** 8-128 chars, starts with a letter or digit, then letters, digits and _-!@#$%. */
  appSecret: /^[A-Za-z0-9][A-Za-z0-9_\-!@#$%]{7,127}$/,
  /** 64-180 chars of letters, digits and +_!@#$%-/=, starting with a letter, digit, '+' or '/'. */
  appCode: /^[A-Za-z0-9+/][A-Za-z0-9+_!@#$%\-/=]{63,179}$/,
  /** HMAC key: 8-32 chars, starts with a letter or digit, then letters, digits, '_', '-'. */
  hmacKey: /^[A-Za-z0-9][A-Za-z0-9_-]{7,31}$/,
  /** HMAC secret: 16-64 chars of letters, digits and _-!@#$%. */
  hmacSecret: /^[A-Za-z0-9_\-!@#$%]{16,64}$/,
  /** BASIC user name: 4-32 chars, starts with a letter, then letters, digits, '_', '-'. */
  basicKey: /^[A-Za-z][A-Za-z0-9_-]{3,31}$/,
  /** BASIC password: 8-64 chars of letters, digits and _-!@#$%. */
  basicSecret: /^[A-Za-z0-9_\-!@#$%]{8,64}$/,
} as const;
