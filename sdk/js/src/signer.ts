import { createHmac } from 'node:crypto';
import { ALGORITHM, canonicalRequest, EMPTY_BODY_SHA256, sha256Hex, stringToSign, UNSIGNED_PAYLOAD } from './canonical';

export interface Credentials {
  /** AppKey (or a signature key's key). */
  readonly key: string;
  /** AppSecret (or a signature key's secret); used directly as the HMAC key. */
  readonly secret: string;
}

export interface RequestToSign {
  readonly method: string;
  /** Absolute URL, e.g. https://api.example.com/v1/orders?id=1 */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Sign UNSIGNED-PAYLOAD instead of hashing the body. */
  readonly unsignedPayload?: boolean;
  /** Signing time; defaults to now. */
  readonly date?: Date;
}

/** `YYYYMMDDTHHMMSSZ` in UTC, the X-Sdk-Date format. */
export function sdkDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** HMAC-SHA256 of the string to sign, keyed directly with the secret, lower-case hex. */
export function signature(secret: string, toSign: string): string {
  return createHmac('sha256', secret).update(toSign).digest('hex');
}

function hostHeader(url: URL): string {
  return url.host;
}

/**
 * Signs a request the way Huawei's official signers do: every header present is signed, `host`
 * and `x-sdk-date` are added. Returns the headers to send (the given ones plus X-Sdk-Date,
 * Authorization and, with unsignedPayload, X-Sdk-Content-Sha256).
 */
export function sign(request: RequestToSign, credentials: Credentials): Record<string, string> {
  const url = new URL(request.url);
  const headers: Record<string, string> = { ...request.headers };
  const present = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) present.set(name.toLowerCase(), value);
  if (!present.has('host')) present.set('host', hostHeader(url));
  const date = present.get('x-sdk-date') ?? sdkDate(request.date ?? new Date());
  if (!present.has('x-sdk-date')) {
    headers['X-Sdk-Date'] = date;
    present.set('x-sdk-date', date);
  }
  if (request.unsignedPayload === true) {
    headers['X-Sdk-Content-Sha256'] = UNSIGNED_PAYLOAD;
    present.set('x-sdk-content-sha256', UNSIGNED_PAYLOAD);
  }
  present.delete('authorization');
  const body = request.body ?? '';
  const payloadHash = present.get('x-sdk-content-sha256') ?? (body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(body));
  const signedHeaders = [...present.keys()].sort();
  const canonical = canonicalRequest({
    method: request.method,
    path: url.pathname,
    query: url.search.replace(/^\?/, ''),
    header: (name) => present.get(name),
    signedHeaders,
    payloadHash,
  });
  if (!('request' in canonical)) throw new Error(`internal: header ${canonical.missingHeader} vanished`);
  const sig = signature(credentials.secret, stringToSign(date, canonical.request));
  headers.Authorization = `${ALGORITHM} Access=${credentials.key}, SignedHeaders=${signedHeaders.join(';')}, Signature=${sig}`;
  return headers;
}
