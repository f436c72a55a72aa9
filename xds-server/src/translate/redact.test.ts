import { dumpResources, resourcesByType, translateIR } from '.';
import { TYPE_URLS } from '../proto/type-urls';
import { REDACTED } from '../ir';
import { domain, gateway, group, tls } from './testing/builder';

describe('redaction of dumps', () => {
  const ir = gateway({
    https: { address: '0.0.0.0', port: 8443, publicPort: 443 },
    groups: [group('shop', [], { domains: [domain('shop.example.com', { tls: tls('shop-cert') })] })],
  });

  it('keeps the private key on the wire but prints it as [redacted]', () => {
    const resources = translateIR(ir);
    const secret = resourcesByType(resources, TYPE_URLS.secret).get('tls/shop/shop-cert');
    expect(JSON.stringify(secret)).toContain('PRIVATE KEY');
    const dump = JSON.stringify(dumpResources(resources));
    expect(dump).not.toContain('PRIVATE KEY');
    expect(dump).toContain(`"private_key":{"inline_string":"${REDACTED}"}`);
    expect(dump).toContain('BEGIN CERTIFICATE');
  });

  it('prints IR secrets as [redacted] too', () => {
    expect(JSON.stringify(ir)).not.toContain('PRIVATE KEY');
  });
});
