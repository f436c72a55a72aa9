import { sign } from '@turnpike/sdk';
import { parseAuthorization, parseSdkDate, verifySignature, type SignedRequest } from './signature';

const app = { key: '071fe245-9cf6-4d75-822d-c29945a1e06a', secret: 'c6e52419-2270-4cb8-8bd4-ae7fdd01dcd5' };
const now = Date.UTC(2023, 4, 27, 1, 54, 31);
const secretOf = (key: string): string | undefined => (key === app.key ? app.secret : undefined);

function signed(init: { method: string; url: string; body?: string; headers?: Record<string, string>; unsigned?: boolean }): SignedRequest {
  const headers = sign(
    { method: init.method, url: init.url, headers: init.headers ?? {}, body: init.body ?? '', unsignedPayload: init.unsigned ?? false, date: new Date(now) },
    app,
  );
  const url = new URL(init.url);
  const lower = new Map(Object.entries({ ...headers, host: url.host }).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: init.method,
    path: url.pathname,
    query: url.search.slice(1),
    header: (name) => lower.get(name),
    body: Buffer.from(init.body ?? ''),
  };
}

const verify = (request: SignedRequest, at = now): ReturnType<typeof verifySignature> => verifySignature(request, secretOf, at);
const detail = (result: ReturnType<typeof verifySignature>): string => (result.ok ? 'ok' : result.denial.message);

describe('verifySignature', () => {
  it('accepts what the signer produced', () => {
    expect(verify(signed({ method: 'GET', url: 'http://api.example.com/app1?b=2&a=1&a=0&c=' }))).toEqual({ ok: true, appKey: app.key });
    expect(verify(signed({ method: 'POST', url: 'http://h/v1/中文?q=a b', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } })).ok).toBe(true);
  });

  it('does not hash the body under UNSIGNED-PAYLOAD', () => {
    const request = signed({ method: 'PUT', url: 'http://h/upload', body: 'one', unsigned: true });
    expect(verify({ ...request, body: Buffer.from('two') }).ok).toBe(true);
  });

  it('rejects a tampered body, method, path and query with the canonical request echoed', () => {
    const request = signed({ method: 'POST', url: 'http://h/x?a=1', body: 'body' });
    for (const tampered of [
      { ...request, body: Buffer.from('other') },
      { ...request, method: 'PUT' },
      { ...request, path: '/y' },
      { ...request, query: 'a=2' },
    ]) {
      const result = verify(tampered);
      expect(result.ok).toBe(false);
      expect(detail(result)).toMatch(/^Incorrect app authentication information: verify signature fail, canonicalRequest:/);
    }
    const result = verify({ ...request, method: 'PUT' });
    expect(detail(result)).toContain('canonicalRequest:PUT|/x/|a=1|host:h|x-sdk-date:20230527T015431Z||host;x-sdk-date|');
  });

  it('rejects dates more than 15 minutes away, either way, with both times', () => {
    const request = signed({ method: 'GET', url: 'http://h/' });
    expect(verify(request, now + 15 * 60 * 1000).ok).toBe(true);
    const late = verify(request, now + 15 * 60 * 1000 + 1000);
    expect(detail(late)).toBe('Incorrect app authentication information: signature expired, signature time:20230527T015431Z,server time:20230527T020932Z');
    expect(verify(request, now - 16 * 60 * 1000).ok).toBe(false);
  });

  it('names an unknown app, a missing signed header and a missing date', () => {
    const request = signed({ method: 'GET', url: 'http://h/', headers: { 'X-Custom': 'v' } });
    expect(detail(verifySignature(request, () => undefined, now))).toBe(`Incorrect app authentication information: app not found, appkey ${app.key}`);
    const withoutCustom: SignedRequest = { ...request, header: (n) => (n === 'x-custom' ? undefined : request.header(n)) };
    expect(detail(verify(withoutCustom))).toContain('signed header x-custom not found');
    const withoutDate: SignedRequest = { ...request, header: (n) => (n === 'x-sdk-date' ? undefined : request.header(n)) };
    expect(detail(verify(withoutDate))).toContain('x-sdk-date header is missing');
  });

  it('accepts a Go-style signature that read + as a space', () => {
    const goStyle = signed({ method: 'GET', url: 'http://h/q?x=a%20b' });
    expect(verify({ ...goStyle, query: 'x=a+b' }).ok).toBe(true);
  });

  it('parses the Authorization header and X-Sdk-Date strictly', () => {
    expect(parseAuthorization('SDK-HMAC-SHA256 Access=k, SignedHeaders=host;x-sdk-date, Signature=ABC1')).toEqual({
      appKey: 'k', signedHeaders: ['host', 'x-sdk-date'], signature: 'abc1',
    });
    expect(parseAuthorization('Basic abc')).toBeUndefined();
    expect(parseSdkDate('20191115T033655Z')).toBe(Date.UTC(2019, 10, 15, 3, 36, 55));
    expect(parseSdkDate('2019-11-15T03:36:55Z')).toBeUndefined();
  });
});
