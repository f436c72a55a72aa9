/**
 * authz's own cost, one core: signature checks per second of the pure decision (`decide`) and of
 * the whole Check adapter (protobuf decode of a CheckRequest, decide, CheckResponse encode), for
 * typical requests. No network: what one authz process can verify per core.
 */
import { AuthzConfig, checkInput, checkResponse, decide, type AppConfig, type CheckInput } from '@turnpike/authz';
import { sign } from '@turnpike/sdk';
import { AuthzContext, defaultRegistry, SecretValue } from '@turnpike/xds-server';

export interface CheckRate {
  readonly name: string;
  readonly perSecond: number;
}

const HOST = 'bench.example.com';
const CONTEXT = { [AuthzContext.api]: 'bench/app', [AuthzContext.group]: 'bench/bench', [AuthzContext.environment]: 'RELEASE', [AuthzContext.auth]: 'APP', [AuthzContext.tls]: 'false' };

function apps(count: number): AppConfig[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `bench/app-${i}`, appKey: `bench-app-key-${i}`, appSecret: new SecretValue(`bench-app-secret-${i}`), appCodes: [],
    grants: [{ kind: 'Api' as const, target: 'bench/app', environments: new Set(['RELEASE']) }],
  }));
}

interface Sample {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly body: Buffer;
}

function signedHeaders(sample: Sample, key: string, secret: string): Record<string, string> {
  const headers = sign({ method: sample.method, url: `http://${HOST}${sample.path}`, headers: { 'Content-Type': 'application/json' }, body: sample.body }, { key, secret });
  return Object.fromEntries(Object.entries({ ...headers, host: HOST }).map(([k, v]) => [k.toLowerCase(), v]));
}

function inputOf(sample: Sample, headers: Readonly<Record<string, string>>): CheckInput {
  const [path = '/', query = ''] = sample.path.split('?');
  return { method: sample.method, path, query, header: (n) => headers[n], body: sample.body, context: CONTEXT };
}

function rate(name: string, seconds: number, once: () => boolean): CheckRate {
  for (let i = 0; i < 2000; i += 1) if (!once()) throw new Error(`${name}: the check did not pass`);
  let count = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < deadline) {
    for (let i = 0; i < 100; i += 1) once();
    count += 100;
  }
  return { name, perSecond: count / (Number(process.hrtime.bigint() - started) / 1e9) };
}

export function measureChecks(seconds: number): CheckRate[] {
  const config = new AuthzConfig(apps(1000), []);
  const key = 'bench-app-key-500';
  const secret = 'bench-app-secret-500';
  const samples: Sample[] = [
    { name: 'GET with a query, no body', method: 'GET', path: '/app/items?limit=10&marker=abc&tag=a&tag=b', body: Buffer.alloc(0) },
    { name: 'POST, 1 KB JSON body', method: 'POST', path: '/app/orders', body: Buffer.from(JSON.stringify({ items: 'x'.repeat(1000) })) },
    { name: 'POST, 1 MB body', method: 'POST', path: '/app/upload', body: Buffer.alloc(1024 * 1024, 97) },
  ];
  const now = Date.now();
  const out: CheckRate[] = [];
  for (const sample of samples) {
    const input = inputOf(sample, signedHeaders(sample, key, secret));
    out.push(rate(`decide: ${sample.name}`, seconds, () => decide(input, config, now).allow));
  }
  // The adapter: what Envoy's CheckRequest costs to decode, decide and answer.
  const registry = defaultRegistry();
  const request = registry.root.lookupType('envoy.service.auth.v3.CheckRequest');
  const response = registry.root.lookupType('envoy.service.auth.v3.CheckResponse');
  const sample = samples[0];
  if (sample === undefined) return out;
  const headers = { ...signedHeaders(sample, key, secret), ':authority': HOST, 'x-request-id': '0123456789abcdef0123456789abcdef' };
  const bytes = request.encode(request.fromObject({
    attributes: { request: { http: { method: sample.method, path: sample.path, host: HOST, headers, raw_body: sample.body } }, context_extensions: CONTEXT },
  })).finish();
  out.push(rate(`Check adapter (decode + decide + encode): ${sample.name}`, seconds, () => {
    const { input, requestId } = checkInput(request.decode(bytes));
    const decision = decide(input, config, now);
    response.encode(response.fromObject(checkResponse(decision, requestId))).finish();
    return decision.allow;
  }));
  return out;
}
