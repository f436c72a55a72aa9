// An invalid edit of a served Api: the last valid generation keeps answering (real Envoy), the
// status line says Accepted=False and which generation is served; a valid edit is served again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { call, startStandalone, waitFor, type HttpReply, type TurnpikeProcess } from '../../src';

const GROUP = 'apiVersion: turnpike.dev/v1alpha1\nkind: ApiGroup\nmetadata: {name: lg}\nspec: {}\n';
const api = (backend: string): string =>
  `apiVersion: turnpike.dev/v1alpha1\nkind: Api\nmetadata: {name: hello}\nspec:\n  groupRef: {name: lg}\n  method: GET\n  path: /hello\n  backend: ${backend}\n`;

interface LogRecord { msg?: string; object?: string; servedGeneration?: number }

describe('standalone mode: the last valid generation of an object keeps being served', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-lastgood-'));
  const manifests = path.join(dir, 'manifests');
  const file = path.join(manifests, 'api.yaml');
  let gateway: TurnpikeProcess;
  const host = 'lg.default.apigw.localhost';
  const until = (check: (r: HttpReply) => boolean): Promise<HttpReply> =>
    waitFor(async () => {
      const reply = await call({ port: gateway.httpPort, host, path: '/hello' });
      return check(reply) ? reply : undefined;
    }, { what: '/hello to pass its check', timeoutMs: 15_000, intervalMs: 50 });
  /** The Api's status lines printed so far. */
  const statusLines = (): LogRecord[] => fs.readFileSync(gateway.proc.logFile, 'utf8').split('\n')
    .flatMap((line) => { try { return [JSON.parse(line) as LogRecord]; } catch { return []; } })
    .filter((record) => record.object === 'Api/default/hello');
  const untilStatus = (check: (record: LogRecord) => boolean, what: string): Promise<LogRecord> =>
    waitFor(() => statusLines().find(check), { what, timeoutMs: 15_000 });

  beforeAll(async () => {
    fs.mkdirSync(manifests, { recursive: true });
    fs.writeFileSync(path.join(manifests, 'group.yaml'), GROUP);
    fs.writeFileSync(file, api('{mock: {body: first}}'));
    gateway = await startStandalone({ manifests, dir });
  }, 120_000);
  afterAll(async () => {
    await gateway.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the old route answering, reports the invalid generation, then serves a valid edit', async () => {
    expect((await until((r) => r.status === 200)).body).toBe('first');
    await untilStatus((r) => r.msg === 'Accepted=True ResolvedRefs=True Programmed=True', 'generation 1 programmed');

    // Parses as YAML, fails the operator's validation.
    fs.writeFileSync(file, api('{url: {scheme: HTTP, host: "127.0.0.1:1", path: "no-leading-slash"}}'));
    const invalid = await untilStatus((r) => r.msg?.startsWith('Accepted=False') === true && r.msg.includes('the Envoy fleet serves generation 1'), 'the invalid generation reported');
    expect(invalid.msg).toBe(
      "Accepted=False (Invalid: spec.backend.url.path: backend path must start with '/'; still serving generation 1) ResolvedRefs=True "
      + 'Programmed=False (NotAccepted: Generation 2 is not accepted; the Envoy fleet serves generation 1.)',
    );
    expect(invalid.servedGeneration).toBe(1);
    const still = await call({ port: gateway.httpPort, host, path: '/hello' });
    expect([still.status, still.body]).toEqual([200, 'first']);

    fs.writeFileSync(file, api('{mock: {body: third}}'));
    expect((await until((r) => r.body === 'third')).status).toBe(200);
    await waitFor(() => {
      const lines = statusLines();
      return lines.slice(lines.findIndex((r) => r.msg === invalid.msg) + 1).find((r) => r.msg === 'Accepted=True ResolvedRefs=True Programmed=True');
    }, { what: 'the valid edit programmed', timeoutMs: 15_000 });
  });
});
