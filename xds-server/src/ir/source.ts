/**
 * Where an IR element came from. Every element carries one so that every Envoy resource (and every
 * NACK naming it) can be traced back to the object a user wrote.
 */

/** Turnpike kinds, the core objects they reference, and the gateway's own configuration. */
export type SourceKind =
  | 'ApiGroup'
  | 'Api'
  | 'App'
  | 'ThrottlePolicy'
  | 'AclPolicy'
  | 'SignatureKey'
  | 'Secret'
  | 'Service'
  /** Flags and config file of the control plane (listeners, trusted proxies): not a CR. */
  | 'GatewayConfig';

export interface SourceRef {
  readonly kind: SourceKind;
  readonly namespace: string;
  readonly name: string;
}

/** `Kind/namespace/name`: a stable, unique key for a source. */
export function sourceKey(source: SourceRef): string {
  return `${source.kind}/${source.namespace}/${source.name}`;
}
