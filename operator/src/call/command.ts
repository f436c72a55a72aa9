/**
 * `turnpike call`: signs a request with an App's AppKey/AppSecret (SDK-HMAC-SHA256, exactly as
 * Huawei's SDKs do, via @turnpike/sdk) or sends its AppCode, then prints what a caller debugging
 * a gateway needs: the status, X-Request-Id and the X-Apig-* debug headers (stderr), and the body
 * (stdout). The AppSecret is never printed.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { parseAllDocuments } from 'yaml';
import { sign } from '@turnpike/sdk';
import { ConfigError } from '../config';
import { isRecord } from '../json';
import { parseCallOptions, type CallOptions } from './options';

export interface CallResult {
  readonly status: number;
  readonly statusText: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

const record = (v: unknown): Readonly<Record<string, unknown>> => (isRecord(v) ? v : {});

function credentialsOf(doc: unknown): { key: string; secret: string } | undefined {
  const root = record(doc);
  const plain = record(root.stringData);
  const encoded = record(root.data);
  const value = (name: string): string | undefined => {
    const direct = plain[name] ?? root[name];
    if (typeof direct === 'string') return direct.trim();
    const b64 = encoded[name];
    return typeof b64 === 'string' ? Buffer.from(b64, 'base64').toString('utf8').trim() : undefined;
  };
  const key = value('appKey');
  const secret = value('appSecret');
  return key === undefined || secret === undefined ? undefined : { key, secret };
}

/**
 * appKey/appSecret from a Secret manifest (stringData or base64 data) or a plain JSON object; in a
 * multi-document file, the first document that has both.
 */
export function readCredentialsFile(text: string, file: string): { key: string; secret: string } {
  for (const doc of parseAllDocuments(text)) {
    const found = credentialsOf(doc.toJS());
    if (found !== undefined) return found;
  }
  throw new ConfigError(`${file}: no appKey and appSecret (stringData, data or top level)`);
}

function bodyOf(options: CallOptions): Buffer {
  if (options.body === undefined) return Buffer.alloc(0);
  return 'inline' in options.body ? Buffer.from(options.body.inline, 'utf8') : fs.readFileSync(options.body.file);
}

/** The headers to send: the given ones, X-Stage/X-Apig-Mode, then the signature or the AppCode. */
export function requestHeaders(options: CallOptions, body: Buffer, now: Date = new Date()): Record<string, string> {
  const headers: Record<string, string> = {
    ...options.headers,
    ...(options.stage === undefined ? {} : { 'X-Stage': options.stage }),
    ...(options.debug ? { 'X-Apig-Mode': 'debug' } : {}),
  };
  if (options.appCode !== undefined) return { ...headers, 'X-Apig-AppCode': options.appCode };
  const credentials = options.credentials;
  if (credentials === undefined) return headers;
  const pair = 'file' in credentials ? readCredentialsFile(fs.readFileSync(credentials.file, 'utf8'), credentials.file) : credentials;
  return sign({ method: options.method, url: options.url.href, headers, body, unsignedPayload: options.unsignedPayload, date: now }, pair);
}

/** Sends the request (Host is always the URL's host, whatever --connect says). */
export function send(options: CallOptions, headers: Readonly<Record<string, string>>, body: Buffer): Promise<CallResult> {
  const { url } = options;
  const tls = url.protocol === 'https:';
  const request = {
    host: options.connect?.host ?? url.hostname.replace(/^\[|\]$/g, ''),
    port: options.connect?.port ?? (url.port === '' ? (tls ? 443 : 80) : Number(url.port)),
    path: `${url.pathname}${url.search}`,
    method: options.method,
    headers: { host: url.host, ...headers, ...(body.length > 0 ? { 'content-length': String(body.length) } : {}) },
    agent: false as const,
  };
  return new Promise((resolve, reject) => {
    const onResponse = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks) }); });
      res.on('error', reject);
    };
    const req = tls
      ? https.request({ ...request, servername: url.hostname, rejectUnauthorized: !options.insecure }, onResponse)
      : http.request(request, onResponse);
    req.on('error', reject);
    req.end(body);
  });
}

const DEBUG_HEADER = /^(x-request-id|x-apig-.*)$/i;

/** The status and the headers worth printing, one per line. */
export function summary(result: CallResult, verbose: boolean): string {
  const lines = [`HTTP ${result.status} ${result.statusText}`.trimEnd()];
  for (const [name, value] of Object.entries(result.headers)) {
    if (!verbose && !DEBUG_HEADER.test(name)) continue;
    for (const v of Array.isArray(value) ? value : [value ?? '']) lines.push(`${name}: ${v}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function runCall(argv: readonly string[]): Promise<void> {
  const options = parseCallOptions(argv, process.env);
  const body = bodyOf(options);
  const result = await send(options, requestHeaders(options, body), body);
  process.stderr.write(summary(result, options.verbose));
  process.stdout.write(result.body);
  if (result.body.length > 0 && result.body[result.body.length - 1] !== 0x0a) process.stdout.write('\n');
  if (result.status >= 400) process.exitCode = 1;
}
