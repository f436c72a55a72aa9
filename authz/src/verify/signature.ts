/**
 * Verifies an SDK-HMAC-SHA256 app-authentication request the way Huawei APIG does (reference §1):
 * the client's SignedHeaders are followed exactly, the date must be within 15 minutes, and the
 * signature is compared in constant time. Pure: the clock and the app lookup are inputs.
 */
import { timingSafeEqual } from 'node:crypto';
import {
  ALGORITHM,
  canonicalRequest,
  EMPTY_BODY_SHA256,
  sha256Hex,
  signature,
  stringToSign,
  UNSIGNED_PAYLOAD,
  type HeaderLookup,
} from '@turnpike/sdk';
import { appAuthFailure, type Denial } from './errors';

export const MAX_SKEW_MS = 15 * 60 * 1000;
const AUTHORIZATION = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s?SignedHeaders=([^,\s]+),\s?Signature=([0-9a-fA-F]+)\s*$/;
const SDK_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly header: HeaderLookup;
  /** The raw body, when the proxy forwarded it (undefined: not available). */
  readonly body?: Uint8Array;
}

export interface ParsedAuthorization {
  readonly appKey: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Parses `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…`, or undefined. */
export function parseAuthorization(value: string | undefined): ParsedAuthorization | undefined {
  const match = value === undefined ? null : AUTHORIZATION.exec(value.trim());
  if (match === null) return undefined;
  const [, appKey = '', headers = '', sig = ''] = match;
  return { appKey, signedHeaders: headers.toLowerCase().split(';'), signature: sig.toLowerCase() };
}

/** Parses X-Sdk-Date (`YYYYMMDDTHHMMSSZ`) to epoch ms, or undefined when malformed. */
export function parseSdkDate(value: string): number | undefined {
  const m = SDK_DATE.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isNaN(ms) ? undefined : ms;
}

function formatSdkDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function payloadHash(request: SignedRequest, signedHeaders: readonly string[]): string {
  const declared = signedHeaders.includes('x-sdk-content-sha256') ? request.header('x-sdk-content-sha256') : undefined;
  if (declared?.trim() === UNSIGNED_PAYLOAD) return UNSIGNED_PAYLOAD;
  const body = request.body;
  return body === undefined || body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(body);
}

function equalHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

export type Verification = { readonly ok: true; readonly appKey: string } | { readonly ok: false; readonly denial: Denial };

const deny = (detail: string): Verification => ({ ok: false, denial: appAuthFailure(detail) });

/**
 * Verifies the request. `secretOf` returns the AppSecret(s) of an AppKey (several while a reset
 * is propagating is not supported: a reset invalidates the old secret at once), or undefined.
 */
export function verifySignature(
  request: SignedRequest,
  secretOf: (appKey: string) => string | undefined,
  nowMs: number,
): Verification {
  const auth = parseAuthorization(request.header('authorization'));
  if (auth === undefined) return deny(`authorization header is missing or not ${ALGORITHM}`);
  const sdkDate = request.header('x-sdk-date')?.trim();
  if (sdkDate === undefined) return deny('x-sdk-date header is missing');
  if (!auth.signedHeaders.includes('x-sdk-date')) return deny('x-sdk-date must be a signed header');
  const signedAt = parseSdkDate(sdkDate);
  if (signedAt === undefined) return deny(`x-sdk-date ${sdkDate} is not in the format YYYYMMDDTHHMMSSZ`);
  if (Math.abs(nowMs - signedAt) > MAX_SKEW_MS) {
    return deny(`signature expired, signature time:${sdkDate},server time:${formatSdkDate(nowMs)}`);
  }
  const secret = secretOf(auth.appKey);
  if (secret === undefined) return deny(`app not found, appkey ${auth.appKey}`);
  const canonicalFor = (query: string): ReturnType<typeof canonicalRequest> =>
    canonicalRequest({
      method: request.method,
      path: request.path,
      query,
      header: request.header,
      signedHeaders: auth.signedHeaders,
      payloadHash: payloadHash(request, auth.signedHeaders),
    });
  const matches = (canonical: string): boolean =>
    equalHex(signature(secret, stringToSign(sdkDate, canonical)), auth.signature);
  const canonical = canonicalFor(request.query);
  if (!('request' in canonical)) return deny(`signed header ${canonical.missingHeader} not found`);
  if (matches(canonical.request)) return { ok: true, appKey: auth.appKey };
  // Huawei's Go signers read `+` in a query as a space; the Python/JS ones keep it literal.
  if (request.query.includes('+')) {
    const asSpace = canonicalFor(request.query.replace(/\+/g, '%20'));
    if ('request' in asSpace && matches(asSpace.request)) return { ok: true, appKey: auth.appKey };
  }
  return deny(`verify signature fail, canonicalRequest:${canonical.request.replace(/\n/g, '|')}`);
}
