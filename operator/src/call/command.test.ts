import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { canonicalRequest, sha256Hex, signature, stringToSign } from '@turnpike/sdk';
import { readCredentialsFile, requestHeaders, send, summary } from './command';
import { parseCallOptions } from './options';

const KEY = 'demo-app-key-0001';
const SECRET = 'demo-app-secret-0001';

describe('turnpike call', () => {
  it('parses curl-like flags', () => {
    const options = parseCallOptions(['-X', 'put', '-H', 'Content-Type: application/json', '-d', '{}', '--stage', 'DEV', '--debug', '--connect', '127.0.0.1:8080', 'http://api.example.com/x?a=1'], {});
    expect(options).toMatchObject({ method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: { inline: '{}' }, stage: 'DEV', debug: true, connect: { host: '127.0.0.1', port: 8080 } });
    expect(parseCallOptions(['http://h/'], { TURNPIKE_APP_KEY: KEY, TURNPIKE_APP_SECRET: SECRET }).credentials).toEqual({ key: KEY, secret: SECRET });
    expect(() => parseCallOptions(['--app-key', KEY, 'http://h/'], {})).toThrow(/go together/);
    expect(() => parseCallOptions(['ftp://h/'], {})).toThrow(/not an http/);
  });

  it('reads appKey/appSecret from a Secret manifest, plain or base64', () => {
    expect(readCredentialsFile(`kind: Secret\nstringData: {appKey: ${KEY}, appSecret: ${SECRET}}\n`, 'f')).toEqual({ key: KEY, secret: SECRET });
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    expect(readCredentialsFile(JSON.stringify({ data: { appKey: b64(KEY), appSecret: b64(SECRET) } }), 'f')).toEqual({ key: KEY, secret: SECRET });
    expect(() => readCredentialsFile('{}', 'f')).toThrow(/no appKey and appSecret/);
    expect(readCredentialsFile(`kind: App\n---\nkind: Secret\nstringData: {appKey: ${KEY}, appSecret: ${SECRET}}\n`, 'f')).toEqual({ key: KEY, secret: SECRET });
  });

  it('sends a request the gateway accepts, with the Host of the URL, and prints status and debug headers', async () => {
    let seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer } | undefined;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
        res.writeHead(201, { 'X-Request-Id': 'abc', 'X-Apig-Latency': '3', 'Server': 'api-gateway' });
        res.end('made');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'call-')), 'creds.yaml');
    fs.writeFileSync(file, `stringData:\n  appKey: ${KEY}\n  appSecret: ${SECRET}\n`);
    try {
      const options = parseCallOptions(['--credentials', file, '-d', '{"n":1}', '--connect', `127.0.0.1:${port}`, 'http://api.example.com:8080/orders?b=2&a='], {});
      const body = Buffer.from('{"n":1}');
      const result = await send(options, requestHeaders(options, body), body);
      expect(summary(result, false)).toBe('HTTP 201 Created\nx-request-id: abc\nx-apig-latency: 3\n');
      const request = seen;
      if (request === undefined) throw new Error('no request');
      expect([request.method, request.url, request.headers.host]).toEqual(['POST', '/orders?b=2&a=', 'api.example.com:8080']);
      const header = (name: string): string | undefined => {
        const v = request.headers[name];
        return Array.isArray(v) ? v.join(',') : v;
      };
      // Recomputed from the request as the server received it: what the gateway's filter does.
      const auth = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(header('authorization') ?? '');
      const signedHeaders = (auth?.[2] ?? '').split(';');
      const canonical = canonicalRequest({ method: 'POST', path: '/orders', query: 'b=2&a=', header, signedHeaders, payloadHash: sha256Hex(request.body) });
      if (!('request' in canonical)) throw new Error(`signed header ${canonical.missingHeader} not received`);
      expect(auth?.[1]).toBe(KEY);
      expect(auth?.[3]).toBe(signature(SECRET, stringToSign(header('x-sdk-date') ?? '', canonical.request)));
    } finally {
      server.close();
    }
  });
});
