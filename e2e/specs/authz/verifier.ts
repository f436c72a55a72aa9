/**
 * A backend that checks the gateway's signatures on its own, written from Huawei's description
 * of its backend verification sample (docs/huawei-compatibility.md §9, canonical request §1.2), sharing no code with
 * sdk/js or authz: parse Authorization with the sample's regex, look the secret up by Access,
 * require every signed header and x-sdk-date, reject dates more than 15 minutes off, skip body
 * hashing under UNSIGNED-PAYLOAD, recompute and compare. BASIC keys are checked as
 * `Authorization: Basic base64(key:secret)`. The spec checks this verifier against the official
 * vector (§1.8) before trusting it.
 */
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const SAMPLE_REGEX = /SDK-HMAC-SHA256\s+Access=([^,]+),\s?SignedHeaders=([^,]+),\s?Signature=(\w+)/;
const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** RFC 3986: every byte outside the unreserved set as %XY, upper-case hex. */
function encode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function decode(text: string): string {
  return Buffer.from(text.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
}

function canonicalPath(path: string): string {
  const joined = path.split('/').map((segment) => encode(decode(segment))).join('/');
  return joined.endsWith('/') ? joined : `${joined}/`;
}

function canonicalQuery(query: string): string {
  const byName = new Map<string, string[]>();
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = encode(decode(eq < 0 ? part : part.slice(0, eq)));
    const value = encode(decode(eq < 0 ? '' : part.slice(eq + 1)));
    byName.set(name, [...(byName.get(name) ?? []), value]);
  }
  const ordinal = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...byName.keys()].sort(ordinal).flatMap((name) => (byName.get(name) ?? []).sort(ordinal).map((value) => `${name}=${value}`)).join('&');
}

export interface Incoming {
  readonly method: string;
  /** Path and query as received. */
  readonly target: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** The canonical request the sample rebuilds (exported for the official-vector check). */
export function sampleCanonicalRequest(request: Incoming, signedHeaders: readonly string[]): string {
  const q = request.target.indexOf('?');
  const header = (name: string): string => {
    const value = request.headers[name];
    return (Array.isArray(value) ? value.join(',') : value ?? '').trim();
  };
  const unsigned = header('x-sdk-content-sha256') === 'UNSIGNED-PAYLOAD';
  return [
    request.method.toUpperCase(),
    canonicalPath(q < 0 ? request.target : request.target.slice(0, q)),
    canonicalQuery(q < 0 ? '' : request.target.slice(q + 1)),
    signedHeaders.map((name) => `${name}:${header(name)}\n`).join(''),
    signedHeaders.join(';'),
    unsigned ? 'UNSIGNED-PAYLOAD' : createHash('sha256').update(request.body).digest('hex'),
  ].join('\n');
}

export function sampleSignature(secret: string, date: string, canonical: string): string {
  const toSign = `SDK-HMAC-SHA256\n${date}\n${createHash('sha256').update(canonical).digest('hex')}`;
  return createHmac('sha256', secret).update(toSign).digest('hex');
}

export type Verdict = { readonly ok: true; readonly key: string; readonly scheme: 'HMAC' | 'BASIC' } | { readonly ok: false; readonly reason: string };

function parseDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m === null ? Number.NaN : Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

function verify(request: Incoming, hmacSecrets: ReadonlyMap<string, string>, basic: ReadonlyMap<string, string>, now = Date.now()): Verdict {
  const authorization = request.headers.authorization;
  if (typeof authorization !== 'string') return { ok: false, reason: 'Authorization not found.' };
  if (authorization.startsWith('Basic ')) {
    const [user = '', ...rest] = Buffer.from(authorization.slice(6), 'base64').toString('utf8').split(':');
    return basic.get(user) === rest.join(':') ? { ok: true, key: user, scheme: 'BASIC' } : { ok: false, reason: 'Basic credentials rejected.' };
  }
  const match = SAMPLE_REGEX.exec(authorization);
  if (match === null) return { ok: false, reason: 'Authorization format incorrect.' };
  const [, key = '', signed = '', signature = ''] = match;
  const secret = hmacSecrets.get(key);
  if (secret === undefined) return { ok: false, reason: `Key ${key} not found.` };
  const signedHeaders = signed.split(';');
  const missing = signedHeaders.find((name) => request.headers[name] === undefined);
  if (missing !== undefined) return { ok: false, reason: `Signed header ${missing} not found` };
  const date = request.headers['x-sdk-date'];
  if (typeof date !== 'string') return { ok: false, reason: 'Header x-sdk-date not found' };
  if (!(Math.abs(now - parseDate(date)) <= 15 * 60 * 1000)) return { ok: false, reason: 'Signature expired.' };
  const expected = sampleSignature(secret, date, sampleCanonicalRequest(request, signedHeaders));
  return expected === signature ? { ok: true, key, scheme: 'HMAC' } : { ok: false, reason: 'Verify authorization failed.' };
}

export interface VerifyingBackend {
  readonly port: number;
  /** Key → secret of the HMAC SignatureKeys it trusts (tests fill it in). */
  readonly hmac: Map<string, string>;
  readonly basic: Map<string, string>;
  close(): Promise<void>;
}

/** Answers 200 `{verdict, method, target, headers}` for a valid signature and 401 otherwise. */
export async function startVerifyingBackend(): Promise<VerifyingBackend> {
  const hmac = new Map<string, string>();
  const basic = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const incoming: Incoming = { method: req.method ?? 'GET', target: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      const verdict = verify(incoming, hmac, basic);
      res.writeHead(verdict.ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ verdict, method: incoming.method, target: incoming.target, headers: req.headers }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port, hmac, basic,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => { resolve(); }); }),
  };
}
