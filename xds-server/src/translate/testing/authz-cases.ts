// Golden cases of app authentication and backend signing (ext_authz): which routes call authz,
// what they tell it, and the cluster that reaches it.
import { SecretValue, type GatewayIR } from '../../ir';
import { domain, forward, gateway, group, mock, route, serviceCluster, source, tls, urlCluster } from './builder';

const users = serviceCluster('users', 80, [{ address: '10.0.0.11', port: 8080 }]);
const partner = urlCluster('shop', 'https', 'partner.example.com', 8443);
const signing = source('SignatureKey', 'partner-signing');

export const AUTHZ_CASES: Readonly<Record<string, GatewayIR>> = {
  /** APP routes call authz with their facts; NONE routes and gateway errors do not. */
  'ext-authz': gateway({
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
      service: { host: '127.0.0.1', port: 9191 },
      // Not in Envoy's resources: served to authz only (authz-config.ts).
      apps: [{ source: source('App', 'client'), appKey: 'client-key-0001', appSecret: new SecretValue('never printed'), appCodes: [], grants: [] }],
      signatureKeys: [],
    },
  }),
};
