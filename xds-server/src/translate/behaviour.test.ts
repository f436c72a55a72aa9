// Behaviour of the translation in a real Envoy: what callers see (Huawei semantics), beyond what
// `--mode validate` can tell. One Envoy and one echo backend for the whole file.
import http2 from 'node:http2';
import net from 'node:net';
import { translateIR } from '.';
import { startBackend, type Backend } from './testing/backend';
import { domain, forward, gateway, group, mock, route, serviceCluster, tls, urlCluster } from './testing/builder';
import { call, serveEnvoy, type Call, type Reply, type ServedEnvoy } from './testing/serve';

const HOST = 'shop.shop.apis.example.test';
let backend: Backend | undefined;
let envoy: ServedEnvoy | undefined;

function worldFor(port: number): ReturnType<typeof gateway> {
  const be = urlCluster('shop', 'http', '127.0.0.1', port);
  const dead = urlCluster('shop', 'http', '127.0.0.1', 1);
  const svc = serviceCluster('users', 80, [{ address: '127.0.0.1', port }]);
  return gateway({
    // serveEnvoy binds ephemeral loopback ports instead.
    https: { address: '0.0.0.0', port: 8443, publicPort: 443 },
    groups: [group('shop', [
      route('slash', { path: '/test/', match: 'Prefix', backend: forward(be.name, '/test2/') }),
      route('aa', { path: '/test/AA', match: 'Prefix', backend: forward(be.name, '/b') }),
      route('exact', { path: '/exact/AA', backend: forward(be.name, '/e') }),
      route('user', { path: '/users/{id}', backend: forward(svc.name, '/api/users/{id}') }),
      route('user', { path: '/users/{id}', environment: 'DEV', backend: forward(be.name, '/dev/users/{id}') }),
      route('files', { path: '/files/{p+}', backend: forward(be.name, '/bucket/{p}') }),
      route('more', { path: '/more/{rest+}', backend: forward(be.name, '/bucket/{rest+}/meta') }),
      route('pay', { path: '/pay', method: 'POST', protocol: 'HTTPS', backend: forward(be.name, '/pay') }),
      route('plain', { path: '/plain', protocol: 'HTTP', backend: forward(svc.name, '/plain') }),
      route('signed', { path: '/signed', auth: { type: 'APP', appCode: false }, backend: forward(be.name, '/signed') }),
      route('gone', { path: '/gone', backend: mock(404, 'mock says gone', { 'content-type': 'text/plain' }) }),
      route('cors', { path: '/cors/{x}', cors: true, backend: forward(be.name, '/{x}') }),
      route('preflight', { path: '/', match: 'Prefix', method: 'OPTIONS', cors: true, backend: mock(204, '') }),
      route('slow', { path: '/slow', backend: forward(be.name, '/slow', { timeoutMs: 300 }) }),
      route('dead', { path: '/dead', backend: forward(dead.name, '/') }),
    ], { domains: [domain('secure.example.test', { tls: tls('secure-cert'), httpsRedirect: true }), domain('plain.example.test')] })],
    clusters: [be, dead, svc],
  });
}

beforeAll(async () => {
  backend = await startBackend();
  envoy = await serveEnvoy(translateIR(worldFor(backend.port)));
}, 30_000);

afterAll(async () => {
  await envoy?.stop();
  await backend?.close();
});

const port = (listener: string): number => envoy?.ports.get(listener) ?? 0;
const get = (path: string, extra: Partial<Call> = {}): Promise<Reply> => call({ port: port('http'), host: HOST, path, ...extra });
const upstreamUrl = (reply: Reply): string => (JSON.parse(reply.body) as { url: string }).url;
const upstreamHeaders = (reply: Reply): Record<string, string> => (JSON.parse(reply.body) as { headers: Record<string, string> }).headers;

function expectHuaweiError(reply: Reply, status: number, code: string, message: string): void {
  expect(reply.status).toBe(status);
  const id = reply.headers['x-request-id'];
  expect(id).toMatch(/^[0-9a-f]{32}$/);
  expect(JSON.parse(reply.body)).toEqual({ error_code: code, error_msg: message, request_id: id });
  // The code handed to the access log (lua.ts) never reaches the caller.
  expect(Object.keys(reply.headers).filter((h) => h.startsWith('x-turnpike-'))).toEqual([]);
}

describe('routing (Huawei §5, §6)', () => {
  it('prefix matching appends the remainder; the longer prefix wins', async () => {
    expect(upstreamUrl(await get('/test/AA/CC'))).toBe('/b/CC');
    expect(upstreamUrl(await get('/test/AA'))).toBe('/b');
    expect(upstreamUrl(await get('/test/AACC'))).toBe('/test2/AACC');
    expect(upstreamUrl(await get('/test/x/y?q=1'))).toBe('/test2/x/y?q=1');
  });

  it('a {name+} reference in a backend path carries every segment the parameter matched', async () => {
    expect(upstreamUrl(await get('/more/a/b/c?x=1'))).toBe('/bucket/a/b/c/meta?x=1');
  });

  it('exact matching and path parameters', async () => {
    expect(upstreamUrl(await get('/exact/AA'))).toBe('/e');
    expect((await get('/exact/AA/CC')).status).toBe(404);
    expect(upstreamUrl(await get('/users/42?fields=name'))).toBe('/api/users/42?fields=name');
    expect((await get('/users/42/x')).status).toBe(404);
    expect(upstreamUrl(await get('/files/a/b/c.txt'))).toBe('/bucket/a/b/c.txt');
    expect((await get('/files/')).status).toBe(404);
  });

  it('never lets an encoded slash, a backslash or a dot segment walk out of an Api\'s backend path', async () => {
    for (const walk of ['/users/%2E%2E%2F%2E%2E%2Fsecure', '/users/..%2F..%2Fsecure', '/users/..%5C..%5Csecure', '/users/..\\..\\secure', '/files/a%2F..%2F..%2F..%2Fsecure']) {
      const reply = await get(walk);
      if (reply.status === 200) expect(upstreamUrl(reply)).not.toMatch(/\.\.|%2F|%5C|\\|^\/secure/i);
      else expectHuaweiError(reply, 404, 'APIG.0101', 'The API does not exist or has not been published in the environment.');
    }
    // An encoded slash is a slash, as Huawei's signers read it: /files/a%2Fb is /files/a/b.
    expect(upstreamUrl(await get('/files/a%2Fb'))).toBe('/bucket/a/b');
  });

  it('selects the environment with X-Stage; absent means RELEASE', async () => {
    expect(upstreamUrl(await get('/users/7', { headers: { 'x-stage': 'RELEASE' } }))).toBe('/api/users/7');
    expect(upstreamUrl(await get('/users/7', { headers: { 'x-stage': 'DEV' } }))).toBe('/dev/users/7');
    expectHuaweiError(await get('/users/7', { headers: { 'x-stage': 'PROD' } }), 404, 'APIG.0101', 'The API does not exist or has not been published in the environment.');
  });

  it('an empty X-Stage is RELEASE; a caller cannot pick the environment through the internal header', async () => {
    expect(upstreamUrl(await get('/users/7', { headers: { 'x-stage': '' } }))).toBe('/api/users/7');
    const forged = await get('/users/7', { headers: { 'x-turnpike-stage': 'DEV' } });
    expect(upstreamUrl(forged)).toBe('/api/users/7');
    expect(upstreamHeaders(forged)['x-turnpike-stage']).toBeUndefined();
    expect(upstreamHeaders(await get('/users/7', { headers: { 'x-stage': 'DEV' } }))['x-stage']).toBe('DEV');
    expect(upstreamHeaders(await get('/users/7'))['x-stage']).toBeUndefined();
  });

  it('serves mocks exactly as configured, even error statuses', async () => {
    const reply = await get('/gone');
    expect([reply.status, reply.body, reply.headers['content-type']]).toEqual([404, 'mock says gone', 'text/plain']);
  });
});

describe('errors in Huawei format (§12)', () => {
  it('504 APIG.0201 on backend timeout, 502 when unreachable', async () => {
    expectHuaweiError(await get('/slow'), 504, 'APIG.0201', 'Backend timeout.');
    expectHuaweiError(await get('/dead'), 502, 'APIG.0201', 'Backend unavailable.');
  });

  it('494 APIG.0201 for oversized request headers (no request id exists yet: the reply gets one)', async () => {
    const reply = await get('/users/1', { headers: { 'x-big': 'a'.repeat(70_000) } });
    expect(reply.status).toBe(494);
    expect(JSON.parse(reply.body)).toEqual({ error_code: 'APIG.0201', error_msg: 'Request headers too large.', request_id: reply.headers['x-request-id'] });
  });

  /** Sends `request` as is on a new connection; resolves with status, headers and body of the reply. */
  const raw = (request: string): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const socket = net.connect(port('http'), '127.0.0.1', () => { socket.write(request); });
      const chunks: Buffer[] = [];
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        const text = Buffer.concat(chunks).toString('latin1');
        const [head = '', body] = text.split('\r\n\r\n', 2);
        const [statusLine = '', ...lines] = head.split('\r\n');
        const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        if (body === undefined || Buffer.byteLength(body, 'latin1') < Number(headers['content-length'])) return;
        socket.destroy();
        resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
      });
    });

  it.each([
    ['400 for a malformed request', `GET /users/1 HTTP/1.1\r\nHost: ${HOST}\r\nBad Header: x\r\n\r\n`, 400, 'APIG.0201', 'API request error.'],
    ['426 for HTTP/1.0', `GET /users/1 HTTP/1.0\r\nHost: ${HOST}\r\n\r\n`, 426, 'APIG.0201', 'API request error.'],
    ['494 for oversized headers', `GET /users/1 HTTP/1.1\r\nHost: ${HOST}\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`, 494, 'APIG.0201', 'Request headers too large.'],
    ['501 for an unsupported transfer coding', `POST /users/1 HTTP/1.1\r\nHost: ${HOST}\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`, 501, 'APIG.0201', 'API request error.'],
  ])('%s: Huawei body with the X-Request-Id of the reply (the codec refuses before a request id exists)', async (_name, request, status, code, message) => {
    const reply = await raw(request);
    expect(reply.status).toBe(status);
    // Envoy's UUID as generated (the hygiene filter that strips dashes never runs for these).
    const id = reply.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(JSON.parse(reply.body)).toEqual({ error_code: code, error_msg: message, request_id: id });
    expect(Object.keys(reply.headers).filter((h) => h.startsWith('x-turnpike-'))).toEqual([]);
  });

  it('400 APIG.0607 on the wrong protocol, 401 APIG.0303 for APP Apis without the authn filter', async () => {
    expectHuaweiError(await get('/pay', { method: 'POST' }), 400, 'APIG.0607', 'The following protocol is supported: HTTPS');
    expectHuaweiError(await get('/signed'), 401, 'APIG.0303', 'Incorrect app authentication information: app authentication is not available on this gateway');
  });
});

describe('headers', () => {
  it('strips x-turnpike-* both ways and forwards a 32-hex X-Request-Id', async () => {
    const reply = await get('/users/1', { headers: { 'x-turnpike-app-id': 'forged', 'x-request-id': 'caller-chosen' } });
    const seen = upstreamHeaders(reply);
    expect(Object.keys(seen).filter((h) => h.startsWith('x-turnpike-'))).toEqual([]);
    expect(seen['x-request-id']).toBe(reply.headers['x-request-id']);
    expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.keys(reply.headers).filter((h) => h.startsWith('x-turnpike-') || h.startsWith('x-envoy-'))).toEqual([]);
    expect(reply.headers.server).toBe('api-gateway');
  });

  it('adds X-Apig-Latency and X-Apig-Upstream-Latency only in debug mode', async () => {
    const plain = await get('/users/1');
    expect(plain.headers['x-apig-latency']).toBeUndefined();
    const debug = await get('/users/1', { headers: { 'x-apig-mode': 'debug' } });
    expect(debug.headers['x-apig-latency']).toMatch(/^\d+$/);
    expect(debug.headers['x-apig-upstream-latency']).toMatch(/^\d+$/);
    const mocked = await get('/gone', { headers: { 'x-apig-mode': 'debug' } });
    expect(mocked.headers['x-apig-latency']).toMatch(/^\d+$/);
    expect(mocked.headers['x-apig-upstream-latency']).toBeUndefined();
  });

  it('CORS flag: * unless the backend sets it; the OPTIONS Api answers preflights', async () => {
    expect((await get('/cors/plain')).headers['access-control-allow-origin']).toBe('*');
    expect((await get('/cors/own-cors')).headers['access-control-allow-origin']).toBe('https://backend.example');
    const preflight = await get('/anything', { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-max-age']).toBe('172800');
    expect(preflight.headers['access-control-allow-methods']).toBe('GET,POST,PUT,DELETE,HEAD,OPTIONS,PATCH');
  });
});

describe('bound domains', () => {
  it('redirects plain HTTP to HTTPS with 301', async () => {
    const reply = await call({ port: port('http'), host: 'secure.example.test', path: '/users/1?x=1' });
    expect([reply.status, reply.headers.location]).toEqual([301, 'https://secure.example.test/users/1?x=1']);
  });

  it('serves HTTPS by SNI and runs HTTPS-only Apis there', async () => {
    const reply = await call({ port: port('https'), host: 'secure.example.test', path: '/pay', method: 'POST', tls: true });
    expect(reply.status).toBe(200);
    expect(upstreamUrl(reply)).toBe('/pay');
    expect(upstreamHeaders(reply)['x-forwarded-proto']).toBe('https');
  });
});

/** The SNI of the HTTPS listener's only certificate. */
const SECURE = 'secure.example.test';

/** One HTTP/2 request with a chosen :scheme (h2c on the HTTP listener, h2 over TLS with SNI SECURE on HTTPS). */
async function h2(listener: 'http' | 'https', host: string, path: string, scheme: string, method = 'GET'): Promise<Reply> {
  const session = http2.connect(`${listener}://127.0.0.1:${port(listener)}`, listener === 'https' ? { servername: SECURE, rejectUnauthorized: false } : {});
  try {
    return await new Promise((resolve, reject) => {
      session.on('error', reject);
      const req = session.request({ ':method': method, ':path': path, ':authority': host, ':scheme': scheme });
      let head: http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader = {};
      const chunks: Buffer[] = [];
      req.on('response', (headers) => { head = headers; });
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => { resolve({ status: Number(head[':status']), headers: head, body: Buffer.concat(chunks).toString('utf8') }); });
      req.on('error', reject);
      req.end();
    });
  } finally {
    session.close();
  }
}

describe('scoped routing: the host and the listener pick the group', () => {
  const NOT_FOUND = ['APIG.0101', 'The API does not exist or has not been published in the environment.'] as const;

  it('serves a Host over TLS only when its domain has a certificate, whatever SNI opened the connection', async () => {
    expect((await h2('http', 'plain.example.test', '/users/1', 'http')).status).toBe(200);
    expect((await h2('https', SECURE, '/users/1', 'https')).status).toBe(200);
    for (const host of ['plain.example.test', HOST]) {
      const reply = await h2('https', host, '/users/1', 'https');
      expect([reply.status, (JSON.parse(reply.body) as { error_code: string }).error_code]).toEqual([404, NOT_FOUND[0]]);
    }
  });

  it('an unknown host gets 404 APIG.0101 on both listeners', async () => {
    expectHuaweiError(await get('/users/1', { host: 'nobody.example.test' }), 404, ...NOT_FOUND);
    expectHuaweiError(await h2('https', 'nobody.example.test', '/users/1', 'https'), 404, ...NOT_FOUND);
  });

  it('ignores the port in Host and forwards Host as sent', async () => {
    const reply = await get('/users/1', { host: `${HOST}:8080` });
    expect(upstreamUrl(reply)).toBe('/api/users/1');
    expect(upstreamHeaders(reply).host).toBe(`${HOST}:8080`);
  });

  it('matches hosts exactly: an upper-case Host selects no group (docs/reference/apigroup.md)', async () => {
    expectHuaweiError(await get('/users/1', { host: HOST.toUpperCase() }), 404, ...NOT_FOUND);
  });

  it('keeps the listeners apart whatever :scheme the caller sends', async () => {
    expectHuaweiError(await call({ port: port('https'), host: SECURE, path: '/plain', tls: true }), 400, 'APIG.0607', 'The following protocol is supported: HTTP');
    expect(upstreamUrl(await get('/plain'))).toBe('/plain');
    const spoofedHttps = await h2('http', HOST, '/pay', 'https', 'POST');
    expect([spoofedHttps.status, (JSON.parse(spoofedHttps.body) as { error_code: string }).error_code]).toEqual([400, 'APIG.0607']);
    const spoofedHttp = await h2('https', SECURE, '/plain', 'http');
    expect([spoofedHttp.status, (JSON.parse(spoofedHttp.body) as { error_code: string }).error_code]).toEqual([400, 'APIG.0607']);
    expect((await h2('https', SECURE, '/pay', 'http', 'POST')).status).toBe(200);
  });
});
