import { authzConfig } from './authz-command';

describe('turnpike authz flags', () => {
  it('reads the variables the Helm chart sets; flags win', () => {
    const env = { TURNPIKE_XDS_SERVER: 'turnpike-xds.turnpike.svc.cluster.local:18000', TURNPIKE_FLEET: 'edge', TURNPIKE_AUTHZ_PORT: '9001', POD_NAME: 'authz-0' };
    expect(authzConfig([], env)).toEqual({ xdsAddress: 'turnpike-xds.turnpike.svc.cluster.local:18000', fleet: 'edge', listen: '0.0.0.0:9001', nodeId: 'authz-0', logLevel: 'info' });
    expect(authzConfig(['--listen', '127.0.0.1:7000', '--xds-address', '[::1]:18000'], env)).toMatchObject({ listen: '127.0.0.1:7000', xdsAddress: '[::1]:18000' });
    expect(() => authzConfig(['--xds-address', 'nowhere'], {})).toThrow(/not host:port/);
    expect(() => authzConfig(['--port', '70000'], {})).toThrow(/not a port/);
  });
});
