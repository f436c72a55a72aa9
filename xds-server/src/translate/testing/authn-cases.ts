// Golden cases of app authentication and backend signing (the authn filter): which routes run it,
// the facts they give it, and its configuration over ECDS (secrets redacted).
import { SecretValue, type GatewayIR } from '../../ir';
import { domain, forward, gateway, group, mock, route, serviceCluster, source, tls, urlCluster } from './builder';

const users = serviceCluster('users', 80, [{ address: '10.0.0.11', port: 8080 }]);
const partner = urlCluster('shop', 'https', 'partner.example.com', 8443);
const signing = source('SignatureKey', 'partner-signing');

/** Where the goldens say the module is; the Envoy validation harness (envoy.ts) loads the built one. */
const AUTHN_MODULE_PATH = '/etc/turnpike/authn/libturnpike_authn.so';

export const AUTHN_CASES: Readonly<Record<string, GatewayIR>> = {
  /** APP routes run the filter with their facts; NONE routes and gateway errors do not. */
  authn: gateway({
    https: { address: '0.0.0.0', port: 8443, publicPort: 443 },
    groups: [group('shop', [
      route('signed', { path: '/orders', method: 'POST', auth: { type: 'APP', appCode: false }, backend: forward(users.name, '/orders') }),
      route('app-code', { path: '/orders/{id}', auth: { type: 'APP', appCode: true }, environment: 'DEV', backend: forward(users.name, '/v2/orders/{id}') }),
      route('public', { path: '/health', backend: forward(users.name, '/health') }),
      route('app-mock', { path: '/mock', auth: { type: 'APP', appCode: false }, backend: mock(200, 'signed mock') }),
      route('https-only', { path: '/pay', protocol: 'HTTPS', auth: { type: 'APP', appCode: true }, backend: forward(users.name, '/pay') }),
      route('partner-exact', { path: '/partner', backend: forward(partner.name, '/api/partner', { signatureKey: signing }) }),
      route('partner-prefix', { path: '/partner/{id}', match: 'Prefix', auth: { type: 'APP', appCode: false }, backend: forward(partner.name, '/api/{id}', { signatureKey: signing }) }),
    ], { domains: [domain('api.example.test', { tls: tls('api-cert') })] })],
    clusters: [users, partner],
    authz: {
      module: { path: AUTHN_MODULE_PATH },
      apps: [{ source: source('App', 'client'), appKey: 'client-key-0001', appSecret: new SecretValue('never printed'), appCodes: [new SecretValue('nor this code')], grants: [{ kind: 'ApiGroup', target: source('ApiGroup', 'shop'), environments: ['RELEASE'] }] }],
      signatureKeys: [{ source: signing, type: 'HMAC', key: 'partner-key', secret: new SecretValue('nor this secret') }],
    },
  }),
};
