// Apps and SignatureKeys → the authz part of the IR, with their statuses.
import { inspect } from 'node:util';
import type { GatewayConfig } from '../config';
import { toResourceSet, type KubeObject } from '../resources/resourceset';
import { schemaValidate } from '../validate/validate-fn';
import { translateResourceSet, type Translation } from '.';

const validate = schemaValidate();
const config: GatewayConfig = {
  baseDomain: 'apigw.example.com', fleet: 'test', httpPort: 8080, httpsPort: 8443, httpsPublicPort: 443, trustedProxyHops: 0, listenAddress: '0.0.0.0',
  authnModule: '/opt/libturnpike_authn.so',
};
const meta = (name: string, created = '2026-01-01T00:00:00Z'): KubeObject['metadata'] => ({ name, namespace: 'team', creationTimestamp: created });
const secret = (name: string, stringData: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: meta(name), stringData });
const app = (name: string, spec: Record<string, unknown>, created?: string): KubeObject => ({ apiVersion: 'turnpike.dev/v1alpha1', kind: 'App', metadata: meta(name, created), spec });
const key = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'turnpike.dev/v1alpha1', kind: 'SignatureKey', metadata: meta(name), spec });
const group: KubeObject = { apiVersion: 'turnpike.dev/v1alpha1', kind: 'ApiGroup', metadata: meta('shop'), spec: {} };
const api: KubeObject = { apiVersion: 'turnpike.dev/v1alpha1', kind: 'Api', metadata: meta('orders'), spec: { groupRef: { name: 'shop' }, method: 'GET', path: '/orders', backend: { mock: {} } } };

const KEY = '071fe245-9cf6-4d75-822d-c29945a1e06a';
const SECRET = 'c6e52419-2270-4cb8-8bd4-ae7fdd01dcd5';
const CODE = `${'A'.repeat(62)}==`;

function translate(objects: readonly KubeObject[]): Translation {
  return translateResourceSet(toResourceSet(objects).set, config, validate);
}

function resolved(t: Translation, key: string): string {
  const s = t.statuses.get(key);
  if (s === undefined) return 'missing';
  if (s.accepted.status === 'False') return `${s.accepted.reason}: ${s.accepted.message}`;
  return s.resolvedRefs.status === 'True' ? 'ok' : `${s.resolvedRefs.reason}: ${s.resolvedRefs.message}`;
}

describe('Apps', () => {
  it('reads the credentials Secret, shows the AppKey in status and keeps the secret out of every dump', () => {
    const t = translate([group, api, secret('c', { appKey: KEY, appSecret: SECRET, appCodes: `${CODE}\n\n` }), app('client', { credentialsSecretRef: { name: 'c' }, grants: [{ kind: 'Api', name: 'orders', environments: ['RELEASE', 'DEV'] }, { kind: 'ApiGroup', name: 'shop' }] })]);
    expect(t.statuses.get('App/team/client')?.fields).toEqual({ appKey: KEY });
    expect(t.ir.authz?.module).toEqual({ path: '/opt/libturnpike_authn.so' });
    const [client] = t.ir.authz?.apps ?? [];
    expect(client?.appSecret.reveal()).toBe(SECRET);
    expect(client?.appCodes.map((c) => c.reveal())).toEqual([CODE]);
    expect(client?.grants).toEqual([
      { kind: 'Api', target: { kind: 'Api', namespace: 'team', name: 'orders' }, environments: ['RELEASE', 'DEV'] },
      { kind: 'ApiGroup', target: { kind: 'ApiGroup', namespace: 'team', name: 'shop' }, environments: ['RELEASE'] },
    ]);
    for (const dump of [JSON.stringify(t.ir), inspect(t.ir, { depth: 10 }), JSON.stringify([...t.statuses])]) {
      expect(dump).not.toContain(SECRET);
      expect(dump).not.toContain(CODE);
    }
  });

  it('waits for the generated Secret, and names a missing or incomplete referenced one', () => {
    const t = translate([app('gen', {}), app('ref', { credentialsSecretRef: { name: 'nope' } }), secret('half', { appKey: KEY }), app('half', { credentialsSecretRef: { name: 'half' } })]);
    expect(resolved(t, 'App/team/gen')).toBe('SecretNotFound: Secret team/gen-credentials does not exist yet: the operator generates it (no credentialsSecretRef)');
    expect(resolved(t, 'App/team/ref')).toBe('SecretNotFound: credentialsSecretRef: Secret team/nope does not exist');
    expect(resolved(t, 'App/team/half')).toBe('SecretNotFound: Secret team/half has no key appSecret');
    expect(t.ir.authz?.apps).toEqual([]);
  });

  it('reports values out of Huawei format as InvalidSecret without echoing them', () => {
    const cases: [string, Record<string, string>, string][] = [
      ['short-key', { appKey: 'abc', appSecret: SECRET }, 'appKey must be 8-200 characters'],
      ['bad-secret', { appKey: KEY, appSecret: 'has space in it' }, 'appSecret must be 8-128 characters'],
      ['bad-code', { appKey: KEY, appSecret: SECRET, appCodes: 'short' }, 'appCodes line 1 must be 64-180 characters'],
      ['six-codes', { appKey: KEY, appSecret: SECRET, appCodes: Array.from({ length: 6 }, (_, i) => `${i}${CODE}`).join('\n') }, 'appCodes holds 6 AppCodes, at most 5 are allowed'],
    ];
    const t = translate(cases.flatMap(([name, data]) => [secret(name, data), app(name, { credentialsSecretRef: { name } })]));
    for (const [name, data, message] of cases) {
      const status = resolved(t, `App/team/${name}`);
      expect(status).toContain(`InvalidSecret: Secret team/${name}: ${message}`);
      expect(status).not.toContain(data.appSecret);
    }
  });

  it('keeps an AppKey or AppCode with the older App and marks the newer Conflicted', () => {
    const t = translate([
      secret('a', { appKey: KEY, appSecret: SECRET, appCodes: CODE }), app('first', { credentialsSecretRef: { name: 'a' } }),
      app('second', { credentialsSecretRef: { name: 'a' } }, '2026-02-01T00:00:00Z'),
      secret('b', { appKey: 'another-key-1', appSecret: SECRET, appCodes: CODE }), app('third', { credentialsSecretRef: { name: 'b' } }, '2026-03-01T00:00:00Z'),
    ]);
    expect(resolved(t, 'App/team/second')).toBe('Conflicted: its appKey is already used by App team/first; this App is not served');
    expect(resolved(t, 'App/team/third')).toBe('Conflicted: one of its appCodes is already used by App team/first; this App is not served');
    expect(t.ir.authz?.apps.map((a) => a.source.name)).toEqual(['first']);
  });

  it('serves the grants that resolve and reports the first that does not', () => {
    const t = translate([group, api, secret('c', { appKey: KEY, appSecret: SECRET }), app('client', { credentialsSecretRef: { name: 'c' }, grants: [{ kind: 'Api', name: 'gone' }, { kind: 'Api', name: 'orders' }] })]);
    expect(resolved(t, 'App/team/client')).toBe('TargetNotFound: grants: Api team/gone does not exist');
    expect(t.ir.authz?.apps[0]?.grants.map((g) => g.target.name)).toEqual(['orders']);
  });
});

describe('SignatureKeys', () => {
  it('reads HMAC and BASIC keys, checks their formats and tells Apis which key signs them', () => {
    const t = translate([
      group, secret('h', { key: 'gateway-01', secret: 'a-long-hmac-secret-01' }), key('hmac', { type: 'HMAC', secretRef: { name: 'h' } }),
      secret('b', { key: '1user', secret: 'password1' }), key('basic', { type: 'BASIC', secretRef: { name: 'b' } }),
      key('generated', { type: 'HMAC' }),
      { ...api, spec: { groupRef: { name: 'shop' }, method: 'GET', path: '/signed', backend: { url: { host: 'backend.example.com', path: '/' }, signatureKeyRef: { name: 'hmac' } } } },
    ]);
    expect(t.ir.authz?.signatureKeys.map((k) => [k.source.name, k.type, k.key])).toEqual([['hmac', 'HMAC', 'gateway-01']]);
    expect(resolved(t, 'SignatureKey/team/basic')).toBe("InvalidSecret: Secret team/b: key (user name) must be 4-32 characters, start with a letter, then letters, digits, '_' and '-'");
    expect(resolved(t, 'SignatureKey/team/generated')).toBe('SecretNotFound: Secret team/generated-signature does not exist yet: the operator generates it (no secretRef)');
    const route = t.ir.groups[0]?.routes[0];
    expect(route?.backend.kind === 'Forward' && route.backend.signatureKey).toEqual({ kind: 'SignatureKey', namespace: 'team', name: 'hmac' });
  });
});
