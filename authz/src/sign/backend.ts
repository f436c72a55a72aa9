/**
 * Backend signing with a SignatureKey (reference §9): the headers authz hands Envoy to set on the
 * request the backend receives. HMAC signs that request with SDK-HMAC-SHA256 exactly as Huawei's
 * client SDKs do (the key in Access=, the secret as the HMAC key; host and x-sdk-date signed, the
 * body hashed), so Huawei's backend verification samples accept it; BASIC sets
 * `Authorization: Basic base64(key:secret)`. Pure: the clock is an input.
 */
import { ALGORITHM, canonicalRequest, EMPTY_BODY_SHA256, sdkDate, sha256Hex, signature, stringToSign } from '@turnpike/sdk';
import type { SignatureKeyConfig } from '../config/model';

/** The request as the backend will receive it. */
export interface BackendRequest {
  readonly method: string;
  /** The Host header the backend receives. */
  readonly host: string;
  /** Path after the route's rewrite, without the query string. */
  readonly path: string;
  /** Raw query string without `?` (Envoy forwards it unchanged). */
  readonly query: string;
  readonly body: Uint8Array | undefined;
}

export interface HeaderChanges {
  /** Headers to set (overwriting the caller's), lower-case names. */
  readonly set: readonly (readonly [string, string])[];
  /** Headers to remove from the forwarded request. */
  readonly remove: readonly string[];
}

const SIGNED_HEADERS = ['host', 'x-sdk-date'] as const;

function hmacHeaders(key: SignatureKeyConfig, request: BackendRequest, nowMs: number): HeaderChanges {
  const date = sdkDate(new Date(nowMs));
  const values: Readonly<Record<string, string>> = { host: request.host, 'x-sdk-date': date };
  const body = request.body;
  const canonical = canonicalRequest({
    method: request.method,
    path: request.path,
    query: request.query,
    header: (name) => values[name],
    signedHeaders: SIGNED_HEADERS,
    payloadHash: body === undefined || body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(body),
  });
  if (!('request' in canonical)) throw new Error(`internal: signed header ${canonical.missingHeader} has no value`);
  const sig = signature(key.secret.reveal(), stringToSign(date, canonical.request));
  return {
    set: [
      ['x-sdk-date', date],
      ['authorization', `${ALGORITHM} Access=${key.key}, SignedHeaders=${SIGNED_HEADERS.join(';')}, Signature=${sig}`],
    ],
    // The caller's UNSIGNED-PAYLOAD would tell the backend not to hash a body this signature covers.
    remove: ['x-sdk-content-sha256'],
  };
}

/** The header changes that sign `request` with `key`. */
export function signBackendRequest(key: SignatureKeyConfig, request: BackendRequest, nowMs: number): HeaderChanges {
  if (key.type === 'BASIC') {
    const token = Buffer.from(`${key.key}:${key.secret.reveal()}`, 'utf8').toString('base64');
    return { set: [['authorization', `Basic ${token}`]], remove: [] };
  }
  return hmacHeaders(key, request, nowMs);
}
