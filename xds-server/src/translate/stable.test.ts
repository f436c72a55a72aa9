// Gateway-wide resources are rebuilt by every translateIR; equal ones must come back as the very
// objects of the previous pass (the snapshot encoder skips them by identity), changed ones not.
import { resourcesByType, translateIR, type EnvoyResources } from '.';
import { TYPE_URLS } from '../proto/type-urls';
import type { GatewayIR } from '../ir';
import { domain, gateway, group, mock, route, tls } from './testing/builder';

const shop = group('shop', [route('items', { path: '/items', backend: mock(200, 'items') })], { domains: [domain('shop.example.test', { tls: tls('shop-cert') })] });
const world = (body: string, port = 8443): GatewayIR => gateway({
  https: { address: '0.0.0.0', port, publicPort: 443 },
  groups: [{ ...shop, routes: [route('items', { path: '/items', backend: mock(200, body) })] }],
  authz: { module: { path: '/libturnpike_authn.so' }, apps: [], signatureKeys: [] },
});

const GATEWAY_WIDE = [TYPE_URLS.listener, TYPE_URLS.secret, TYPE_URLS.extensionConfig, TYPE_URLS.cluster] as const;

/** Gateway-wide resources whose object is not the identical instance in `after`. */
function rebuilt(before: EnvoyResources, after: EnvoyResources): string[] {
  return GATEWAY_WIDE.flatMap((type) => [...resourcesByType(after, type)]
    .filter(([name, value]) => resourcesByType(before, type).get(name) !== value)
    .map(([name]) => `${type.split('.').pop() ?? ''}/${name}`));
}

describe('gateway-wide resources', () => {
  it('are the previous objects while equal, whatever changed in a group', () => {
    const first = translateIR(world('one'));
    expect(resourcesByType(first, TYPE_URLS.listener).size).toBe(2);
    expect(resourcesByType(first, TYPE_URLS.secret).size).toBe(1);
    expect(rebuilt(first, translateIR(world('two')))).toEqual([]);
  });

  it('are new objects once they change', () => {
    const first = translateIR(world('one'));
    expect(rebuilt(first, translateIR(world('one', 9443)))).toEqual(['Listener/https']);
  });
});
