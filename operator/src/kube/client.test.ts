import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeApiError, KubeClient, objectPath, type WatchEvent } from './client';
import { describeError, httpStatus } from './errors';

interface Seen { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }

let server: http.Server;
let seen: Seen[];
let answer: (req: http.IncomingMessage, res: http.ServerResponse) => void;
let client: KubeClient;

beforeEach(async () => {
  seen = [];
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => { chunks.push(c); });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      answer(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new KubeClient({ server: `http://127.0.0.1:${port}`, insecureSkipTlsVerify: false, credentials: () => Promise.resolve({ token: 't0k' }), description: 'test' });
});

afterEach(async () => {
  client.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
});

const json = (status: number, body: unknown) => (_req: http.IncomingMessage, res: http.ServerResponse): void => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
};

describe('KubeClient', () => {
  it('sends JSON with the bearer token and the query, and parses the answer', async () => {
    answer = json(200, { kind: 'Secret', metadata: { name: 'a' } });
    const path = objectPath({ group: '', version: 'v1', plural: 'secrets' }, 'team a', 'a/b');
    expect(path).toBe('/api/v1/namespaces/team%20a/secrets/a%2Fb');
    expect(await client.get(path, { timeoutMs: 1_000, query: { limit: 5, continue: undefined } })).toEqual({ kind: 'Secret', metadata: { name: 'a' } });
    await client.patch('/apis/x/v1/namespaces/n/things/a/status', { status: {} }, 'merge', { timeoutMs: 1_000, query: { fieldManager: 'me' } });
    await client.patch('/apis/apps/v1/namespaces/n/deployments/d', { spec: {} }, 'strategic', { timeoutMs: 1_000 });
    await client.create('/api/v1/namespaces/n/secrets', { data: {} }, { timeoutMs: 1_000 });
    expect(seen.map((s) => [s.method, s.url, s.headers['content-type']])).toEqual([
      ['GET', '/api/v1/namespaces/team%20a/secrets/a%2Fb?limit=5', undefined],
      ['PATCH', '/apis/x/v1/namespaces/n/things/a/status?fieldManager=me', 'application/merge-patch+json'],
      ['PATCH', '/apis/apps/v1/namespaces/n/deployments/d', 'application/strategic-merge-patch+json'],
      ['POST', '/api/v1/namespaces/n/secrets', 'application/json'],
    ]);
    expect(seen[0]?.headers.authorization).toBe('Bearer t0k');
    expect(seen[3]?.body).toBe('{"data":{}}');
  });

  it("rejects an error answer with its status and the server's message", async () => {
    answer = json(409, { kind: 'Status', code: 409, message: 'the object has been modified' });
    const failure = client.replace('/api/v1/namespaces/n/secrets/a', {}, { timeoutMs: 1_000 });
    await expect(failure).rejects.toBeInstanceOf(KubeApiError);
    const err = await failure.catch((e: unknown) => e);
    expect(httpStatus(err)).toBe(409);
    expect(describeError(err)).toEqual({ status: 409, error: 'the object has been modified' });
  });

  it('gives up on a call that is not answered in time, as a transient failure', async () => {
    answer = () => undefined;
    const err = await client.get('/api/v1/namespaces', { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AbortError' });
    expect(httpStatus(err)).toBeUndefined();
  });

  it('streams watch events split across chunks, in order, until the server ends the watch', async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n{"type":"MODI');
      setImmediate(() => { res.end('FIED","object":{"metadata":{"name":"a"}}}\n{"type":"BOOKMARK","object":{}}\n'); });
    };
    const events: WatchEvent[] = [];
    const watching = await client.watch('/api/v1/secrets', { resourceVersion: '7' }, (e) => { events.push(e); }, new AbortController().signal);
    await watching.ended;
    expect(seen[0]?.url).toBe('/api/v1/secrets?resourceVersion=7&watch=true');
    expect(events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'BOOKMARK']);
  });

  it("ends a watch with the consumer's error instead of throwing it out of the stream", async () => {
    answer = (_req, res) => { res.writeHead(200); res.write('{"type":"ADDED","object":{}}\n'); };
    const watching = await client.watch('/api/v1/secrets', {}, () => { throw new Error('consumer bug'); }, new AbortController().signal);
    await expect(watching.ended).rejects.toThrow('consumer bug');
  });

  it('rejects a watch the server refuses, and ends one on abort', async () => {
    answer = json(410, { kind: 'Status', code: 410, message: 'too old resource version' });
    await expect(client.watch('/api/v1/secrets', {}, () => undefined, new AbortController().signal)).rejects.toMatchObject({ code: 410 });
    answer = (_req, res) => { res.writeHead(200); res.write(''); };
    const abort = new AbortController();
    const watching = await client.watch('/api/v1/secrets', {}, () => undefined, abort.signal);
    abort.abort();
    await expect(watching.ended).rejects.toThrow();
  });
});
