/**
 * The canonical request of Huawei APIG's SDK-HMAC-SHA256 (docs/huawei-compatibility.md §1.2): one implementation used
 * by the SDK to sign and by authz to verify, so both sides cannot drift apart.
 */
import { createHash } from 'node:crypto';

export const ALGORITHM = 'SDK-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** RFC 3986 encoding with the unreserved set A–Z a–z 0–9 - _ . ~ and upper-case hex. */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Percent-decodes `%XY` sequences only (a literal `+` stays `+`); malformed escapes stay as they are. */
export function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}

/** Decode the path, RFC 3986-encode each segment, and end with `/` (only for signing). */
export function canonicalUri(rawPath: string): string {
  const encoded = rawPath.split('/').map((segment) => rfc3986(percentDecode(segment))).join('/');
  const absolute = encoded.startsWith('/') ? encoded : `/${encoded}`;
  return absolute.endsWith('/') ? absolute : `${absolute}/`;
}

/** Parses a raw query string into decoded name → values, dropping empty names like the signers do. */
export function parseQuery(rawQuery: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = percentDecode(eq < 0 ? pair : pair.slice(0, eq));
    if (name === '') continue;
    const value = eq < 0 ? '' : percentDecode(pair.slice(eq + 1));
    const values = params.get(name);
    if (values === undefined) params.set(name, [value]);
    else values.push(value);
  }
  return params;
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Names and values encoded, sorted by name then value, `name=` for empty values, joined with `&`. */
export function canonicalQuery(params: ReadonlyMap<string, readonly string[]>): string {
  const pairs: string[] = [];
  for (const name of [...params.keys()].sort(byCodePoint)) {
    const values = [...(params.get(name) ?? [])].sort(byCodePoint);
    for (const value of values) pairs.push(`${rfc3986(name)}=${rfc3986(value)}`);
  }
  return pairs.join('&');
}

/** A header lookup that is case-insensitive; values of repeated headers are joined with ','. */
export type HeaderLookup = (lowerCaseName: string) => string | undefined;

export interface CanonicalInput {
  readonly method: string;
  /** The raw path as sent (percent-encoded or not). */
  readonly path: string;
  /** The raw query string without `?`. */
  readonly query: string;
  readonly header: HeaderLookup;
  /** Lower-case signed header names, in the order given by the client. */
  readonly signedHeaders: readonly string[];
  /** Hex SHA-256 of the body, or UNSIGNED-PAYLOAD. */
  readonly payloadHash: string;
}

/** Returns the canonical request, or the name of a signed header missing from the request. */
export function canonicalRequest(input: CanonicalInput): { request: string } | { missingHeader: string } {
  const signed = [...input.signedHeaders].sort(byCodePoint);
  const lines: string[] = [];
  for (const name of signed) {
    const value = input.header(name);
    if (value === undefined) return { missingHeader: name };
    lines.push(`${name}:${value.trim()}\n`);
  }
  const request = [
    input.method.toUpperCase(),
    canonicalUri(input.path),
    canonicalQuery(parseQuery(input.query)),
    lines.join(''),
    signed.join(';'),
    input.payloadHash,
  ].join('\n');
  return { request };
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function stringToSign(sdkDate: string, canonical: string): string {
  return `${ALGORITHM}\n${sdkDate}\n${sha256Hex(canonical)}`;
}
