// The default subdomains' certificate (--subdomain-tls-secret) → the HTTPS listener's default chain.
import type { GatewayConfig } from '../config';
import { toResourceSet, type KubeObject } from '../resources/resourceset';
import { schemaValidate } from '../validate/validate-fn';
import { Translator } from './translator';

const validate = schemaValidate();
const config: GatewayConfig = {
  baseDomain: 'apigw.example.com', fleet: 'test', httpPort: 8080, httpsPort: 8443, httpsPublicPort: 443, trustedProxyHops: 0, listenAddress: '0.0.0.0',
  subdomainTls: { namespace: 'gw', name: 'subdomains' },
};
const group: KubeObject = { apiVersion: 'turnpike.dev/v1alpha1', kind: 'ApiGroup', metadata: { name: 'shop', namespace: 'team' }, spec: {} };
const tls = (cert: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'subdomains', namespace: 'gw' },
  stringData: { 'tls.crt': cert, 'tls.key': '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n' },
});
const PEM = '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n';

describe('the default subdomains\' certificate', () => {
  it('opens HTTPS with the Secret as the default certificate, and follows the Secret', () => {
    const translator = new Translator(config, validate);
    const served = translator.translate(toResourceSet([group, tls(PEM)]).set).ir;
    expect(served.https?.defaultTls).toMatchObject({ source: { kind: 'Secret', namespace: 'gw', name: 'subdomains' }, certificateChain: PEM });
    expect(served.https?.defaultTls?.privateKey.toString()).toBe('[redacted]');
    // Gone or not PEM: no certificate, and without bound domains with TLS no HTTPS listener at all.
    expect(translator.translate(toResourceSet([group]).set).ir.https).toBeUndefined();
    expect(translator.translate(toResourceSet([group, tls('not a certificate')]).set).ir.https).toBeUndefined();
    expect(translator.translate(toResourceSet([group, tls(PEM)]).set).ir.https?.defaultTls?.certificateChain).toBe(PEM);
  });

  it('is nothing without --subdomain-tls-secret', () => {
    const without: GatewayConfig = { baseDomain: config.baseDomain, fleet: 'test', httpPort: 8080, httpsPort: 8443, httpsPublicPort: 443, trustedProxyHops: 0, listenAddress: '0.0.0.0' };
    expect(new Translator(without, validate).translate(toResourceSet([group, tls(PEM)]).set).ir.https).toBeUndefined();
  });
});
