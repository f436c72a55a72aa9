/**
 * What app authentication and backend signing need (docs/huawei-compatibility.md §1–3, §9): App credentials and
 * grants, signature keys, and the authn filter's native module. Served to Envoy over ECDS as the
 * turnpike.authn filter's configuration (xds-server/src/translate/authn.ts); secret values are
 * SecretValues so they cannot reach a log or a golden.
 */
import type { SecretValue } from './secret';
import type { SourceRef } from './source';

/** The authn filter's native module (built from dataplane/authn-module). */
export interface AuthnModuleIR {
  /**
   * Its path on the Envoy's file system, `<dir>/lib<name>.so` (the component cache in standalone
   * mode, a volume in a cluster): Envoy loads it by name from `<dir>`.
   */
  readonly path: string;
}

/** An App's authorisation: one Api, or every Api of an ApiGroup, in some environments. */
export interface GrantIR {
  readonly kind: 'Api' | 'ApiGroup';
  /** The Api or ApiGroup (same namespace as the App). */
  readonly target: SourceRef;
  /** Environment names; never empty. */
  readonly environments: readonly string[];
}

/** An App with resolved credentials (AppKey unique across Apps, AppCodes unique too). */
export interface AppIR {
  readonly source: SourceRef;
  readonly appKey: string;
  readonly appSecret: SecretValue;
  /** At most 5. */
  readonly appCodes: readonly SecretValue[];
  readonly grants: readonly GrantIR[];
}

export type SignatureKeyType = 'HMAC' | 'BASIC';

/** A SignatureKey with its resolved key and secret. */
export interface SignatureKeyIR {
  readonly source: SourceRef;
  readonly type: SignatureKeyType;
  readonly key: string;
  readonly secret: SecretValue;
}

export interface AuthzIR {
  /** Absent: the gateway has no authn module, so APP Apis answer 401 (fail closed). */
  readonly module?: AuthnModuleIR;
  readonly apps: readonly AppIR[];
  readonly signatureKeys: readonly SignatureKeyIR[];
}
