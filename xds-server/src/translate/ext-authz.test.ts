import { SecretValue } from '../ir';
import { dumpAuthzResources, translateAuthz, AUTHZ_APP_TYPE, AUTHZ_SIGNATURE_KEY_TYPE } from './authz-config';
import { EXT_AUTHZ_FILTER, extAuthzPerRoute, needsAuthz } from './ext-authz';
import { buildRoute } from './routes';
import { forward, mock, route, serviceCluster, source } from './testing/builder';

const users = serviceCluster('users', 80, []);
const context = { side: 'http' as const, clusters: new Map([[users.name, users]]), authz: true, group: source('ApiGroup', 'shop') };
const key = source('SignatureKey', 'backend');

describe('ext_authz per route', () => {
  it('calls authz for APP routes and for routes whose backend requests are signed, and for nothing else', () => {
    expect(needsAuthz(route('a', { path: '/a', auth: { type: 'APP', appCode: false } }))).toBe(true);
    expect(needsAuthz(route('s', { path: '/s', backend: forward(users.name, '/', { signatureKey: key }) }))).toBe(true);
    expect(needsAuthz(route('n', { path: '/n', backend: forward(users.name, '/') }))).toBe(false);
    expect(needsAuthz(route('m', { path: '/m', backend: mock(200, '') }))).toBe(false);
  });

  it('answers APP routes with authz once it exists, and 401 fail-closed without it', () => {
    const app = route('signed', { path: '/s', auth: { type: 'APP', appCode: true }, backend: forward(users.name, '/s') });
    expect(buildRoute(app, context)).toMatchObject({
      route: { cluster: users.name },
      typed_per_filter_config: { [EXT_AUTHZ_FILTER]: { check_settings: { context_extensions: { api: 'shop/signed', group: 'shop/shop', auth: 'APP', app_code: 'true', tls: 'false' } } } },
    });
    expect(buildRoute(app, { ...context, authz: false })).toMatchObject({ direct_response: { status: 401 } });
  });

  it('turns ext_authz off on gateway errors: a wrong protocol is answered without asking authz', () => {
    const https = route('pay', { path: '/pay', protocol: 'HTTPS', auth: { type: 'APP', appCode: false }, backend: forward(users.name, '/') });
    expect(buildRoute(https, context)).toMatchObject({ direct_response: { status: 400 }, typed_per_filter_config: { [EXT_AUTHZ_FILTER]: { disabled: true } } });
    expect(extAuthzPerRoute(https, { tls: true, group: context.group, answersLocally: true })[EXT_AUTHZ_FILTER]).toMatchObject({ disabled: true });
  });
});

describe('authz resources', () => {
  const resources = translateAuthz({
    apps: [{ source: source('App', 'client'), appKey: 'client-key', appSecret: new SecretValue('s3cret-value'), appCodes: [new SecretValue('c0de-value')], grants: [{ kind: 'ApiGroup', target: source('ApiGroup', 'shop'), environments: ['RELEASE', 'DEV'] }] }],
    signatureKeys: [{ source: key, type: 'BASIC', key: 'gateway', secret: new SecretValue('pa55word') }],
  });

  it('are one resource per App and SignatureKey, named namespace/name', () => {
    expect(resources.get(AUTHZ_APP_TYPE)?.get('shop/client')).toEqual({
      name: 'shop/client', app_key: 'client-key', app_secret: 's3cret-value', app_codes: ['c0de-value'],
      grants: [{ kind: 'API_GROUP', target: 'shop/shop', environments: ['DEV', 'RELEASE'] }],
    });
    expect(resources.get(AUTHZ_SIGNATURE_KEY_TYPE)?.get('shop/backend')).toMatchObject({ type: 'BASIC', key: 'gateway' });
    expect(translateAuthz(undefined)).toEqual(new Map([[AUTHZ_APP_TYPE, new Map()], [AUTHZ_SIGNATURE_KEY_TYPE, new Map()]]));
  });

  it('dump with every secret value redacted', () => {
    const dump = JSON.stringify(dumpAuthzResources(resources));
    for (const secret of ['s3cret-value', 'c0de-value', 'pa55word']) expect(dump).not.toContain(secret);
    expect(dump).toContain('client-key');
  });
});
