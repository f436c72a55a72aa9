import { SecretValue, type AuthzIR } from '../ir';
import { AUTHN_FILTER, authnExtensionConfig, authnRoute, needsAuthn, redactAuthnConfig } from './authn';
import { buildRoutes } from './routes';
import { forward, mock, route, serviceCluster, source } from './testing/builder';

const users = serviceCluster('users', 80, []);
const context = { clusters: new Map([[users.name, users]]), authn: true, group: source('ApiGroup', 'shop') };
const key = source('SignatureKey', 'backend');
/** The route of a BOTH Api, or an Api's first (its scheme's) route. */
const buildRoute = (...args: Parameters<typeof buildRoutes>): ReturnType<typeof buildRoutes>[number] | undefined => buildRoutes(...args)[0];

describe('the authn filter per route', () => {
  it('runs for APP routes and for routes whose backend requests are signed, and for nothing else', () => {
    expect(needsAuthn(route('a', { path: '/a', auth: { type: 'APP', appCode: false } }))).toBe(true);
    expect(needsAuthn(route('s', { path: '/s', backend: forward(users.name, '/', { signatureKey: key }) }))).toBe(true);
    expect(needsAuthn(route('n', { path: '/n', backend: forward(users.name, '/') }))).toBe(false);
    expect(needsAuthn(route('m', { path: '/m', backend: mock(200, '') }))).toBe(false);
  });

  it('gives APP routes their facts as route metadata, and answers 401 fail-closed without the filter', () => {
    const app = route('signed', { path: '/s', auth: { type: 'APP', appCode: true }, backend: forward(users.name, '/s') });
    const built = buildRoute(app, context);
    expect(built).toMatchObject({
      route: { cluster: users.name },
      metadata: { filter_metadata: { [AUTHN_FILTER]: { api: 'shop/signed', group: 'shop/shop', auth: 'APP', app_code: 'true', environment: 'RELEASE' } } },
    });
    // Bodies are buffered up to the signed-body limit, which the listener's own limit is below.
    expect(built).toMatchObject({ typed_per_filter_config: { 'envoy.filters.http.buffer': { buffer: { max_request_bytes: 12 * 1024 * 1024 } } } });
    expect(buildRoute(app, { ...context, authn: false })).toMatchObject({ direct_response: { status: 401 } });
  });

  it('turns the filter off on NONE routes and on gateway errors: a wrong protocol is answered without a check', () => {
    const https = route('pay', { path: '/pay', protocol: 'HTTPS', auth: { type: 'APP', appCode: false }, backend: forward(users.name, '/') });
    expect(buildRoutes(https, context)[1]).toMatchObject({ direct_response: { status: 400 }, typed_per_filter_config: { [AUTHN_FILTER]: { disabled: true } } });
    expect(authnRoute(https, { group: context.group, answersLocally: true }).perFilter[AUTHN_FILTER]).toMatchObject({ disabled: true });
    expect(buildRoute(route('n', { path: '/n', backend: forward(users.name, '/') }), context)).toMatchObject({ typed_per_filter_config: { [AUTHN_FILTER]: { disabled: true } } });
  });

  it('tells the filter how the backend request is signed: key, Host and path rewrite', () => {
    const signed = route('s', { path: '/s/{id}', backend: forward(users.name, '/v2/{id}', { signatureKey: key }) });
    const facts = authnRoute(signed, { group: context.group, backend: { rewrite: { regex_rewrite: { pattern: { regex: '^/s/([^/]+)$' }, substitution: '/v2/\\1' } }, host: 'be.example' } });
    expect(facts.metadata?.[AUTHN_FILTER]).toEqual({
      api: 'shop/s', group: 'shop/shop', environment: 'RELEASE', auth: 'NONE', signature_key: 'shop/backend',
      backend_host: 'be.example', backend_path_regex: '^/s/([^/]+)$', backend_path_substitution: '/v2/\\1',
    });
  });
});

describe('the authn configuration (ECDS)', () => {
  const authz: AuthzIR = {
    module: { path: '/opt/turnpike/libturnpike_authn.so' },
    apps: [{ source: source('App', 'client'), appKey: 'client-key', appSecret: new SecretValue('s3cret-value'), appCodes: [new SecretValue('c0de-value')], grants: [{ kind: 'ApiGroup', target: source('ApiGroup', 'shop'), environments: ['RELEASE', 'DEV'] }] }],
    signatureKeys: [{ source: key, type: 'BASIC', key: 'gateway', secret: new SecretValue('pa55word') }],
  };
  const resource = authnExtensionConfig(authz, { path: '/opt/turnpike/libturnpike_authn.so' });
  const plugin = (r: typeof resource): unknown => JSON.parse((r['typed_config'] as { filter_config: { value: string } }).filter_config.value);

  it('is one resource named after the filter, loading the module by name and carrying every App and SignatureKey', () => {
    expect(resource).toMatchObject({ name: AUTHN_FILTER, typed_config: { dynamic_module_config: { name: 'turnpike_authn' }, filter_name: AUTHN_FILTER } });
    expect(plugin(resource)).toEqual({
      max_body_bytes: 12 * 1024 * 1024,
      apps: [{ id: 'shop/client', app_key: 'client-key', app_secret: 's3cret-value', app_codes: ['c0de-value'], grants: [{ kind: 'API_GROUP', target: 'shop/shop', environments: ['DEV', 'RELEASE'] }] }],
      signature_keys: [{ name: 'shop/backend', type: 'BASIC', key: 'gateway', secret: 'pa55word' }],
    });
  });

  it('dumps with every secret value redacted', () => {
    const dump = JSON.stringify(redactAuthnConfig(resource));
    for (const secret of ['s3cret-value', 'c0de-value', 'pa55word']) expect(dump).not.toContain(secret);
    expect(plugin(redactAuthnConfig(resource))).toMatchObject({ apps: [{ app_key: 'client-key', app_secret: '[redacted]', app_codes: ['[redacted]'] }] });
  });
});
