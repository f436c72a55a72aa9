import { CLUSTER_AUTHN_MODULE, ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults standalone mode to loopback and the documented ports', () => {
    const config = loadConfig('standalone', ['-f', 'examples'], { TURNPIKE_CACHE: '/cache' });
    expect(config.gateway).toEqual({
      baseDomain: 'apigw.localhost', fleet: 'turnpike', httpPort: 8080, httpsPort: 8443, httpsPublicPort: 8443, trustedProxyHops: 0, listenAddress: '127.0.0.1',
      authnModule: '/cache/bin/turnpike-authn.wasm', accessLog: { path: '/dev/stdout' },
    });
    expect(config.xds).toEqual({ host: '127.0.0.1', port: 18000 });
    expect(config.mode).toEqual({ kind: 'standalone', dir: 'examples', envoy: true, demoBackendPorts: [], stateDir: '.turnpike/standalone', rateLimit: true });
  });

  it('lets flags win over environment variables', () => {
    const config = loadConfig('standalone', ['-f', 'x', '--http-port', '9000'], { TURNPIKE_HTTP_PORT: '7000', TURNPIKE_BASE_DOMAIN: 'apis.example.com' });
    expect(config.gateway.httpPort).toBe(9000);
    expect(config.gateway.baseDomain).toBe('apis.example.com');
  });

  it('names the flag that is wrong', () => {
    expect(() => loadConfig('standalone', ['-f', 'x', '--xds-port', 'abc'], {})).toThrow(new ConfigError('--xds-port: abc is not a port number'));
    expect(() => loadConfig('standalone', [], {})).toThrow(/standalone needs -f DIR/);
    expect(() => loadConfig('operator', ['--bogus'], {})).toThrow(/bogus/);
  });

  it('reads the rate-limit service address, which replaces the one standalone would start', () => {
    const config = loadConfig('standalone', ['-f', 'x', '--ratelimit-address', 'ratelimit.turnpike-system:8081'], {});
    expect(config.gateway.rateLimit).toEqual({ host: 'ratelimit.turnpike-system', port: 8081 });
    expect(config.mode).toMatchObject({ rateLimit: false });
    expect(loadConfig('operator', [], { TURNPIKE_RATELIMIT_ADDRESS: '[::1]:8081' }).gateway.rateLimit).toEqual({ host: '::1', port: 8081 });
    expect(loadConfig('operator', [], {}).gateway.rateLimit).toBeUndefined();
    expect(loadConfig('standalone', ['-f', 'x', '--no-ratelimit'], {}).mode).toMatchObject({ rateLimit: false });
    expect(() => loadConfig('operator', ['--ratelimit-address', 'nohost'], {})).toThrow(new ConfigError('--ratelimit-address: nohost is not host:port'));
  });

  it('reads the default limit per Api: calls per second, or per the unit named', () => {
    expect(loadConfig('operator', [], {}).gateway.defaultApiLimit).toBeUndefined();
    expect(loadConfig('operator', ['--default-api-limit', '200'], {}).gateway.defaultApiLimit).toEqual({ limit: 200, unit: 'SECOND' });
    expect(loadConfig('operator', [], { TURNPIKE_DEFAULT_API_LIMIT: '6000/Minute' }).gateway.defaultApiLimit).toEqual({ limit: 6000, unit: 'MINUTE' });
    expect(loadConfig('operator', [], { TURNPIKE_DEFAULT_API_LIMIT: '' }).gateway.defaultApiLimit).toBeUndefined();
    for (const bad of ['0', '-5', '1.5', '10/week', '2147483648', 'many']) {
      expect(() => loadConfig('operator', [`--default-api-limit=${bad}`], {})).toThrow(
        new ConfigError(`--default-api-limit: ${bad} is not N or N/second|minute|hour|day with N from 1 to 2147483647`),
      );
    }
  });

  it('reads the pod identity for leader election in operator mode', () => {
    const config = loadConfig('operator', [], { POD_NAME: 'tp-0', POD_NAMESPACE: 'gw' });
    expect(config.mode).toMatchObject({ kind: 'operator', identity: 'tp-0', leaseNamespace: 'gw', leaseName: 'turnpike-operator' });
  });
  it('reads the default subdomains\' certificate as NAMESPACE/NAME of a Secret', () => {
    expect(loadConfig('operator', ['--subdomain-tls-secret', 'turnpike-system/subdomains'], {}).gateway.subdomainTls).toEqual({ namespace: 'turnpike-system', name: 'subdomains' });
    expect(loadConfig('operator', [], { TURNPIKE_SUBDOMAIN_TLS_SECRET: '' }).gateway.subdomainTls).toBeUndefined();
    expect(() => loadConfig('operator', ['--subdomain-tls-secret', 'subdomains'], {})).toThrow(new ConfigError('--subdomain-tls-secret: subdomains is not NAMESPACE/NAME of a Secret'));
  });

  it('points Envoy at the authn module: the chart\'s volume in a cluster, the component cache standalone, or --authn-module', () => {
    expect(loadConfig('operator', [], {}).gateway.authnModule).toBe(CLUSTER_AUTHN_MODULE);
    expect(loadConfig('operator', ['--authn-module', '/opt/authn.wasm'], {}).gateway.authnModule).toBe('/opt/authn.wasm');
    expect(loadConfig('standalone', ['-f', '.'], { TURNPIKE_AUTHN_MODULE: '/env/authn.wasm' }).gateway.authnModule).toBe('/env/authn.wasm');
  });
});
