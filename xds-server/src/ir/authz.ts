/**
 * What the authz service needs (reference §1–3, §9): App credentials and grants, signature keys,
 * and where Envoy reaches the service. Served to authz over ADS as turnpike.authz.v1 resources
 * (never to Envoy); secret values are SecretValues so they cannot reach a log or a golden.
 */
import type { SecretValue } from './secret';
import type { SourceRef } from './source';

/** Where Envoy's ext_authz filter reaches the authz gRPC service. */
export interface AuthzServiceIR {
  /** DNS name or IP address (loopback in standalone mode, a Service name in a cluster). */
  readonly host: string;
  readonly port: number;
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
  /** Absent: no authz service is reachable, so APP Apis answer 401 (fail closed). */
  readonly service?: AuthzServiceIR;
  readonly apps: readonly AppIR[];
  readonly signatureKeys: readonly SignatureKeyIR[];
}

/** The authz fleet of an Envoy fleet: authz instances set node.cluster to this. */
export function authzFleet(fleet: string): string {
  return `${fleet}:authz`;
}
