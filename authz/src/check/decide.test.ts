import { sign } from '@turnpike/sdk';
import { AuthzContext, SecretValue } from '@turnpike/xds-server';
import { AuthzConfig, type AppConfig, type SignatureKeyConfig } from '../config/model';
import { verifySignature } from '../verify/signature';
import { decide, type CheckInput, type Decision } from './decide';

const NOW = Date.UTC(2023, 4, 27, 1, 54, 31);
const CODE = `${'A'.repeat(60)}+/==`;
const client: AppConfig = {
  id: 'team/client',
  appKey: '071fe245-9cf6-4d75-822d-c29945a1e06a',
  appSecret: new SecretValue('c6e52419-2270-4cb8-8bd4-ae7fdd01dcd5'),
  appCodes: [new SecretValue(CODE)],
  grants: [
    { kind: 'Api', target: 'team/orders', environments: new Set(['RELEASE']) },
    { kind: 'ApiGroup', target: 'team/catalog', environments: new Set(['DEV']) },
  ],
};
const hmacKey: SignatureKeyConfig = { name: 'team/backend', type: 'HMAC', key: 'gateway-key-01', secret: new SecretValue('backend-secret-0123456789') };
const basicKey: SignatureKeyConfig = { name: 'team/basic', type: 'BASIC', key: 'gateway', secret: new SecretValue('p4ssw0rd!') };
const config = new AuthzConfig([client], [hmacKey, basicKey]);

const ORDERS = { [AuthzContext.api]: 'team/orders', [AuthzContext.group]: 'team/shop', [AuthzContext.environment]: 'RELEASE', [AuthzContext.auth]: 'APP', [AuthzContext.appCode]: 'true', [AuthzContext.tls]: 'true' };

interface Call {
  readonly method?: string;
  readonly url?: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly context?: Readonly<Record<string, string>>;
  readonly signWith?: { key: string; secret: string } | false;
}

/** A CheckInput as Envoy would describe a request signed like Huawei's SDKs sign it. */
function input(call: Call = {}): CheckInput {
  const url = new URL(call.url ?? 'http://api.example.com:8080/orders?b=2&a=1');
  const method = call.method ?? 'GET';
  const signWith = call.signWith ?? { key: client.appKey, secret: client.appSecret.reveal() };
  const headers = signWith === false ? { ...call.headers } : sign({ method, url: url.href, headers: call.headers ?? {}, body: call.body ?? '', date: new Date(NOW) }, signWith);
  const lower = new Map(Object.entries({ ...headers, host: url.host }).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method, path: url.pathname, query: url.search.slice(1), header: (n) => lower.get(n),
    body: Buffer.from(call.body ?? ''), context: call.context ?? ORDERS,
  };
}

const denial = (decision: Decision): string => (decision.allow ? 'allowed' : `${decision.denial.status} ${decision.denial.code} ${decision.denial.message}`);
const setHeaders = (decision: Decision): Record<string, string> => (decision.allow ? Object.fromEntries(decision.changes.set) : {});

describe('decide', () => {
  it('lets a signed, granted request through with the app id for later filters', () => {
    const decision = decide(input(), config, NOW);
    expect(setHeaders(decision)).toEqual({ 'x-turnpike-app-id': 'team/client', 'x-turnpike-app-name': 'client' });
  });

  it('leaves requests without route facts (no route matched) to the router', () => {
    expect(decide(input({ signWith: false, context: {} }), config, NOW)).toEqual({ allow: true, changes: { set: [], remove: [] } });
  });

  it('answers 403 APIG.0304 for an Api or environment the App is not granted', () => {
    expect(denial(decide(input({ context: { ...ORDERS, [AuthzContext.environment]: 'DEV' } }), config, NOW))).toBe('403 APIG.0304 The app is not authorized to access the API.');
    expect(denial(decide(input({ context: { ...ORDERS, [AuthzContext.api]: 'team/other' } }), config, NOW))).toMatch(/^403 APIG.0304/);
  });

  it('grants every Api of a granted ApiGroup in the granted environments', () => {
    const catalog = { ...ORDERS, [AuthzContext.api]: 'team/list', [AuthzContext.group]: 'team/catalog' };
    expect(decide(input({ context: { ...catalog, [AuthzContext.environment]: 'DEV' } }), config, NOW).allow).toBe(true);
    expect(denial(decide(input({ context: catalog }), config, NOW))).toMatch(/^403 APIG.0304/);
  });

  it('answers 401 APIG.0303 for an unknown app, a wrong secret and a missing signature', () => {
    expect(denial(decide(input({ signWith: { key: 'nobody-123', secret: 'x'.repeat(16) } }), config, NOW))).toBe(
      '401 APIG.0303 Incorrect app authentication information: app not found, appkey nobody-123',
    );
    expect(denial(decide(input({ signWith: { key: client.appKey, secret: 'wrong-secret-000' } }), config, NOW))).toMatch(/^401 APIG.0303 .*verify signature fail, canonicalRequest:GET\|\/orders\/\|a=1&b=2\|/);
    expect(denial(decide(input({ signWith: false }), config, NOW))).toMatch(/^401 APIG.0303 .*authorization header is missing/);
  });

  it('stops accepting a reset secret with the next configuration', () => {
    const reset = new AuthzConfig([{ ...client, appSecret: new SecretValue('a-brand-new-secret') }], []);
    expect(denial(decide(input(), reset, NOW))).toMatch(/verify signature fail/);
  });

  it('accepts an AppCode over HTTPS only, and only where the Api enables it', () => {
    const withCode = (context: Readonly<Record<string, string>>, code = CODE): Decision =>
      decide(input({ signWith: false, headers: { 'X-Apig-AppCode': code }, context }), config, NOW);
    expect(setHeaders(withCode(ORDERS))).toMatchObject({ 'x-turnpike-app-id': 'team/client' });
    expect(denial(withCode({ ...ORDERS, [AuthzContext.tls]: 'false' }))).toBe('401 APIG.0303 Incorrect app authentication information: app code authentication is only supported over HTTPS');
    expect(denial(withCode({ ...ORDERS, [AuthzContext.appCode]: 'false' }))).toMatch(/not enabled for this API/);
    expect(denial(withCode(ORDERS, 'B'.repeat(64)))).toMatch(/app code not found/);
  });

  it('signs the backend request with HMAC as the backend receives it (rewritten path and host)', () => {
    const context = {
      ...ORDERS, [AuthzContext.signatureKey]: 'team/backend', [AuthzContext.backendHost]: 'orders.internal:8443',
      [AuthzContext.backendPathRegex]: '^/orders/([^/]+)$', [AuthzContext.backendPathSubstitution]: '/api/v2/orders/\\1',
    };
    const request = input({ method: 'POST', url: 'http://api.example.com/orders/42?x=1', body: '{"n":1}', context });
    const decision = decide(request, config, NOW);
    const headers = setHeaders(decision);
    expect(headers.authorization).toMatch(/^SDK-HMAC-SHA256 Access=gateway-key-01, SignedHeaders=host;x-sdk-date, Signature=[0-9a-f]{64}$/);
    expect(decision.allow && decision.changes.remove).toEqual(['x-sdk-content-sha256']);
    const backend = new Map<string, string>([['host', 'orders.internal:8443'], ['x-sdk-date', headers['x-sdk-date'] ?? ''], ['authorization', headers.authorization ?? '']]);
    const verified = verifySignature(
      { method: 'POST', path: '/api/v2/orders/42', query: 'x=1', header: (n) => backend.get(n), body: Buffer.from('{"n":1}') },
      (key) => (key === hmacKey.key ? hmacKey.secret.reveal() : undefined), NOW,
    );
    expect(verified).toEqual({ ok: true, appKey: 'gateway-key-01' });
  });

  it('signs NONE Apis too, with BASIC, and fails with 500 APIG.0705 when the key is not there', () => {
    const none = { [AuthzContext.api]: 'team/open', [AuthzContext.environment]: 'RELEASE', [AuthzContext.auth]: 'NONE', [AuthzContext.signatureKey]: 'team/basic' };
    expect(setHeaders(decide(input({ signWith: false, context: none }), config, NOW))).toEqual({ authorization: `Basic ${Buffer.from('gateway:p4ssw0rd!').toString('base64')}` });
    expect(denial(decide(input({ signWith: false, context: { ...none, [AuthzContext.signatureKey]: 'team/gone' } }), config, NOW))).toBe('500 APIG.0705 Backend signature calculation failed.');
  });
});
