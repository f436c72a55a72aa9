/**
 * Faults: the IR broke a documented invariant the operator must uphold (user mistakes are status
 * conditions upstream and never reach here). Each carries a stable code.
 */
export type TranslateErrorCode =
  /** A route forwards to a cluster not in GatewayIR.clusters. */
  | 'XDS_TRANSLATE_UNKNOWN_CLUSTER'
  /** Two clusters share a name. */
  | 'XDS_TRANSLATE_DUPLICATE_CLUSTER'
  /** A hostname is served by two groups (Envoy would NACK the route configuration). */
  | 'XDS_TRANSLATE_DUPLICATE_DOMAIN'
  /** A backend path names a parameter the frontend path does not have. */
  | 'XDS_TRANSLATE_UNKNOWN_PATH_PARAM'
  /** A value is outside the range Envoy accepts (mock status, timeout, retries, port). */
  | 'XDS_TRANSLATE_OUT_OF_RANGE';

export class TranslateError extends Error {
  override readonly name = 'TranslateError';

  constructor(
    readonly code: TranslateErrorCode,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}
