/**
 * The configuration authz decides with: Apps (credentials, AppCodes, grants) and SignatureKeys,
 * indexed for the hot path. Immutable: a new one replaces the old one atomically when xds-server
 * pushes a change, so a reset AppSecret stops working with the next push. Secret values are
 * SecretValues: they print as `[redacted]` wherever a config object is logged.
 */
import { createHash } from 'node:crypto';
import type { SecretValue } from '@turnpike/xds-server';

export interface GrantConfig {
  readonly kind: 'Api' | 'ApiGroup';
  /** `<namespace>/<name>` of the Api or ApiGroup. */
  readonly target: string;
  readonly environments: ReadonlySet<string>;
}

export interface AppConfig {
  /** `<namespace>/<name>`: the app id handed to later filters. */
  readonly id: string;
  readonly appKey: string;
  readonly appSecret: SecretValue;
  readonly appCodes: readonly SecretValue[];
  readonly grants: readonly GrantConfig[];
}

export interface SignatureKeyConfig {
  /** `<namespace>/<name>`. */
  readonly name: string;
  readonly type: 'HMAC' | 'BASIC';
  readonly key: string;
  readonly secret: SecretValue;
}

/** AppCodes are looked up by their SHA-256, so lookup timing says nothing about the codes. */
const codeDigest = (code: string): string => createHash('sha256').update(code).digest('hex');

export class AuthzConfig {
  readonly #byKey = new Map<string, AppConfig>();
  readonly #byCode = new Map<string, AppConfig>();
  readonly #keys = new Map<string, SignatureKeyConfig>();

  /** Apps in name order: on a (never expected) duplicate AppKey or AppCode the first wins. */
  constructor(
    readonly apps: readonly AppConfig[],
    readonly signatureKeys: readonly SignatureKeyConfig[],
  ) {
    for (const app of [...apps].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      if (!this.#byKey.has(app.appKey)) this.#byKey.set(app.appKey, app);
      for (const code of app.appCodes) {
        const digest = codeDigest(code.reveal());
        if (!this.#byCode.has(digest)) this.#byCode.set(digest, app);
      }
    }
    for (const key of signatureKeys) this.#keys.set(key.name, key);
  }

  static empty(): AuthzConfig {
    return new AuthzConfig([], []);
  }

  appByKey(appKey: string): AppConfig | undefined {
    return this.#byKey.get(appKey);
  }

  appByCode(appCode: string): AppConfig | undefined {
    return this.#byCode.get(codeDigest(appCode));
  }

  signatureKey(name: string): SignatureKeyConfig | undefined {
    return this.#keys.get(name);
  }
}
