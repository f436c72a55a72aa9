// App authentication through Envoy (docs/huawei-compatibility.md §1–3, §12): requests signed like Huawei's SDKs sign
// them pass, every altered one is refused with Huawei's code and message.
import { AKSKSigner } from '@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner';
import type { ICredential } from '@huaweicloud/huaweicloud-sdk-core/auth/ICredential';
import type { IHttpRequest } from '@huaweicloud/huaweicloud-sdk-core/http/IHttpRequest';
import { sdkDate, sha256Hex, signature, stringToSign } from '@turnpike/sdk';
import { json, type HttpReply } from '../../src';
import { CLIENT, OTHER, signed, startAuthzWorld, type AuthzWorld, type SignedCall } from './fixture';
import { sampleCanonicalRequest, sampleSignature } from './verifier';

interface HuaweiError { error_code: string; error_msg: string; request_id: string }
/** Huawei's signer needs only getAk/getSk of a credential; the rest is for its HTTP client. */
function huaweiSign(request: IHttpRequest, app: { key: string; secret: string }): Record<string, string> {
  const credential = { getAk: (): string => app.key, getSk: (): string => app.secret } as unknown as ICredential;
  return AKSKSigner.sign(request, credential);
}

interface Echo { path: string; query: string; method: string; body: string; headers: Record<string, string | undefined> }

describe('app authentication (SDK-HMAC-SHA256, AppCode, grants)', () => {
  let world: AuthzWorld;
  let host: string;
  const send = (call: Omit<SignedCall, 'host'>): Promise<HttpReply> => world.gw.request(signed({ host, ...call }));
  const error = (reply: HttpReply): string => {
    const body = json<HuaweiError>(reply);
    expect(body.request_id).toBe(reply.headers['x-request-id']);
    return `${reply.status} ${body.error_code} ${body.error_msg}`;
  };

  beforeAll(async () => {
    world = await startAuthzWorld('authz');
    host = world.host;
  }, 120_000);
  afterAll(async () => { await world.stop(); });

  it('passes signed requests: repeated and empty query values, a JSON POST, UNSIGNED-PAYLOAD, a non-ASCII path, a Host with its port', async () => {
    const get = await send({ path: '/echo/list?b=2&a=1&a=0&c=&q=a b' });
    expect(get.status).toBe(200);
    expect(json<Echo>(get)).toMatchObject({ path: '/echo/list', query: 'b=2&a=1&a=0&c=&q=a%20b' });
    expect(json<Echo>(get).headers['x-turnpike-app-id']).toBe(`${world.gw.namespace}/client`);
    const post = await send({ method: 'POST', path: '/echo/orders', body: '{"item":"book","qty":2}', headers: { 'Content-Type': 'application/json' } });
    expect([post.status, json<Echo>(post).body]).toEqual([200, '{"item":"book","qty":2}']);
    const put = await send({ method: 'PUT', path: '/echo/upload', body: 'x'.repeat(100_000), unsignedPayload: true });
    expect(put.status).toBe(200);
    const unicode = await send({ path: '/echo/订单/中文 x?名=值' });
    expect([unicode.status, json<Echo>(unicode).path]).toEqual([200, '/echo/%E8%AE%A2%E5%8D%95/%E4%B8%AD%E6%96%87%20x']);
    const port = world.gw.operator.httpPort;
    const withPort = await world.gw.request(signed({ host: `${host}:${port}`, path: '/echo/port' }));
    expect(withPort.status).toBe(200);
  });

  it('passes requests signed by Huawei\'s own SDK signer (huaweicloud-sdk-core AKSKSigner)', async () => {
    const get = huaweiSign({ method: 'GET', endpoint: `http://${host}/echo/huawei`, queryParams: { limit: '2', tag: ['b', 'a'] }, headers: {} }, CLIENT);
    const getReply = await world.gw.request({ host, path: '/echo/huawei?limit=2&tag=b&tag=a', headers: get });
    expect(getReply.status).toBe(200);
    const data = { name: 'huawei', n: 1 };
    const post = huaweiSign({ method: 'POST', endpoint: `http://${host}/echo/huawei`, headers: { 'Content-Type': 'application/json' }, data }, CLIENT);
    const postReply = await world.gw.request({ host, path: '/echo/huawei', method: 'POST', headers: post, body: JSON.stringify(data) });
    expect(postReply.status).toBe(200);
  });

  it('passes the quirks of Huawei\'s signers: the npm SDK encodes an encoded path again, the Java SDK keeps repeated query values in URL order', async () => {
    // huaweicloud-sdk-core signs the path as the caller wrote it, percent-encoding its `%` again.
    const encoded = huaweiSign({ method: 'GET', endpoint: `http://${host}/echo/a%20b`, queryParams: {}, headers: {} }, CLIENT);
    const encodedReply = await world.gw.request({ host, path: '/echo/a%20b', headers: encoded });
    expect([encodedReply.status, json<Echo>(encodedReply).path]).toEqual([200, '/echo/a%20b']);
    // Huawei's Java SDK: `tag=b&tag=a` signed in that order, not sorted.
    const date = sdkDate(new Date());
    const canonical = ['GET', '/echo/java/', 'tag=b&tag=a', `host:${host}\nx-sdk-date:${date}\n`, 'host;x-sdk-date', sha256Hex('')].join('\n');
    const authorization = `SDK-HMAC-SHA256 Access=${CLIENT.key}, SignedHeaders=host;x-sdk-date, Signature=${signature(CLIENT.secret, stringToSign(date, canonical))}`;
    const java = await world.gw.request({ host, path: '/echo/java?tag=b&tag=a', headers: { 'X-Sdk-Date': date, Authorization: authorization } });
    expect(java.status).toBe(200);
  });

  it('hands the backend no credential of the caller: no AppCode, no Authorization', async () => {
    const request = signed({ host, path: '/echo/credentials' });
    const signedEcho = json<Echo>(await world.gw.request(request));
    expect([signedEcho.headers.authorization, signedEcho.headers['x-sdk-date']]).toEqual([undefined, request.headers?.['X-Sdk-Date']]);
    const coded = json<Echo>(await world.gw.request({ host: world.secureHost, path: '/echo/credentials', headers: { 'X-Apig-AppCode': CLIENT.code }, tls: { ca: world.ca } }));
    expect([coded.headers['x-apig-appcode'], coded.headers['x-turnpike-app-id']]).toEqual([undefined, `${world.gw.namespace}/client`]);
  });

  it('refuses each tampering with 401 APIG.0303 and the gateway\'s canonical request', async () => {
    const base = (): SignedCall => ({ host, method: 'POST', path: '/echo/a?x=1', body: '{"n":1}', headers: { 'X-Custom': 'one' } });
    const original = signed(base());
    const headers = original.headers ?? {};
    const tampered = [
      { ...original, method: 'PUT' },
      { ...original, path: '/echo/b?x=1' },
      { ...original, path: '/echo/a?x=2' },
      { ...original, body: '{"n":2}' },
      { ...original, headers: { ...headers, 'X-Custom': 'two' } },
      { ...original, headers: { ...headers, 'X-Sdk-Date': headers['X-Sdk-Date']?.replace(/\d(Z)$/, (d) => `${(Number(d[0]) + 1) % 10}Z`) ?? '' } },
      { ...original, headers: { ...headers, Authorization: (headers.Authorization ?? '').replace(CLIENT.key, OTHER.key) } },
    ];
    expect((await world.gw.request(original)).status).toBe(200);
    for (const request of tampered) {
      const reply = await world.gw.request(request);
      expect(error(reply)).toMatch(/^401 APIG\.0303 Incorrect app authentication information: verify signature fail, canonicalRequest:[A-Z]+\|\/echo\/[ab]\/\|x=\d\|/);
    }
    const unknown = { ...original, headers: { ...headers, Authorization: (headers.Authorization ?? '').replace(CLIENT.key, 'nobody-0000') } };
    expect(error(await world.gw.request(unknown))).toBe('401 APIG.0303 Incorrect app authentication information: app not found, appkey nobody-0000');
    const echoed = error(await world.gw.request({ ...original, method: 'PUT' }));
    expect(echoed).toContain(`canonicalRequest:PUT|/echo/a/|x=1|host:${host}|x-custom:one|x-sdk-date:${headers['X-Sdk-Date'] ?? ''}||host;x-custom;x-sdk-date|`);
  });

  it('refuses dates more than 15 minutes old or ahead, naming both times', async () => {
    for (const offset of [-16, 16]) {
      const reply = await send({ path: '/echo', date: new Date(Date.now() + offset * 60_000) });
      expect(error(reply)).toMatch(/^401 APIG\.0303 Incorrect app authentication information: signature expired, signature time:\d{8}T\d{6}Z,server time:\d{8}T\d{6}Z$/);
    }
    expect((await send({ path: '/echo', date: new Date(Date.now() - 14 * 60_000) })).status).toBe(200);
  });

  it('refuses unknown apps, unsigned requests, and apps not granted the Api in that environment (403 APIG.0304)', async () => {
    expect(error(await send({ path: '/echo', app: { key: 'unknown-app-1', secret: 'whatever-secret' } }))).toBe(
      '401 APIG.0303 Incorrect app authentication information: app not found, appkey unknown-app-1',
    );
    expect(error(await world.gw.request({ host, path: '/echo' }))).toMatch(/^401 APIG\.0303 .*authorization header is missing/);
    // A signed header name in UTF-8 is named as written (header bytes travel as latin1 strings in Node).
    const request = signed({ host, path: '/echo' });
    const authorization = (request.headers?.Authorization ?? '').replace('SignedHeaders=host;x-sdk-date', 'SignedHeaders=host;x-sdk-date;x-ümlaut');
    const utf8 = await world.gw.request({ ...request, headers: { ...request.headers, Authorization: Buffer.from(authorization, 'utf8').toString('latin1') } });
    expect(error(utf8)).toBe('401 APIG.0303 Incorrect app authentication information: signed header x-ümlaut not found');
    expect(error(await send({ path: '/echo', headers: { 'X-Stage': 'DEV' } }))).toBe('403 APIG.0304 The app is not authorized to access the API.');
    expect(error(await send({ path: '/echo', app: OTHER }))).toBe('403 APIG.0304 The app is not authorized to access the API.');
    expect((await send({ path: '/open', app: OTHER })).status).toBe(200);
  });

  it('accepts an AppCode over HTTPS only, and only on Apis that enable it', async () => {
    const tls = { ca: world.ca };
    const code = { 'X-Apig-AppCode': CLIENT.code };
    const ok = await world.gw.request({ host: world.secureHost, path: '/echo/code', headers: code, tls });
    expect([ok.status, json<Echo>(ok).headers['x-turnpike-app-id']]).toEqual([200, `${world.gw.namespace}/client`]);
    expect(error(await world.gw.request({ host: world.secureHost, path: '/echo/code', headers: code }))).toBe(
      '401 APIG.0303 Incorrect app authentication information: app code authentication is only supported over HTTPS',
    );
    expect(error(await world.gw.request({ host: world.secureHost, path: '/echo', headers: { 'X-Apig-AppCode': `${CLIENT.code}X` }, tls }))).toMatch(/app code not found$/);
    expect(error(await world.gw.request({ host: world.secureHost, path: '/no-code', headers: code, tls }))).toMatch(/not enabled for this API/);
  });

  it('gives a spoofed x-turnpike-* header no effect', async () => {
    const spoof = { 'x-turnpike-app-id': `${world.gw.namespace}/client`, 'X-Turnpike-App-Name': 'client' };
    expect((await world.gw.request({ host, path: '/echo', headers: spoof })).status).toBe(401);
    const open = json<Echo>(await world.gw.request({ host, path: '/open', headers: spoof }));
    expect([open.headers['x-turnpike-app-id'], open.headers['x-turnpike-app-name']]).toEqual([undefined, undefined]);
    // Signed by client while claiming to be other: the backend sees client, once.
    const request = signed({ host, path: '/echo' });
    const claim = { 'x-turnpike-app-id': `${world.gw.namespace}/other`, 'X-Turnpike-App-Name': 'other' };
    const claimed = json<Echo>(await world.gw.request({ ...request, headers: { ...request.headers, ...claim } }));
    expect([claimed.headers['x-turnpike-app-id'], claimed.headers['x-turnpike-app-name']]).toEqual([`${world.gw.namespace}/client`, 'client']);
  });

  it('hashes signed bodies up to 12 MB and refuses a larger one with 413 APIG.0201', async () => {
    const big = 'y'.repeat(5 * 1024 * 1024);
    const passed = await send({ method: 'POST', path: '/echo/big', body: big });
    expect([passed.status, json<Echo>(passed).body.length]).toEqual([200, big.length]);
    const reply = await send({ method: 'POST', path: '/echo/big', body: 'x'.repeat(12 * 1024 * 1024 + 1), unsignedPayload: true });
    expect(error(reply)).toBe('413 APIG.0201 Request entity too large.');
  });
});

describe('the independent backend verifier', () => {
  it('reproduces Huawei\'s official vector (docs/huawei-compatibility.md §1.8) before it is trusted', () => {
    const request = {
      method: 'GET', target: '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
      headers: { 'content-type': 'application/json', host: 'service.region.example.com', 'x-sdk-date': '20191115T033655Z' }, body: Buffer.alloc(0),
    };
    const canonical = sampleCanonicalRequest(request, ['content-type', 'host', 'x-sdk-date']);
    expect(sampleSignature('MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc', '20191115T033655Z', canonical)).toBe('7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe');
  });
});
