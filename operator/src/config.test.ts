import { CLUSTER_AUTHN_MODULE, ConfigError, loadConfig, type Config } from './config';

/** Operator mode serving xDS on loopback, where plaintext is allowed. */
const operatorConfig = (argv: readonly string[], env: NodeJS.ProcessEnv): Config => loadConfig('operator', ['--xds-host', '127.0.0.1', ...argv], env);

describe('loadConfig', () => {
  it('defaults standalone mode to loopback and the documented ports', () => {
    const config = loadConfig('standalone', ['-f', 'examples'], { TURNPIKE_CACHE: '/cache' });
    expect(config.gateway).toEqual({
      baseDomain: 'apigw.localhost', fleet: 'turnpike', httpPort: 8080, httpsPort: 8443, httpsPublicPort: 8443, trustedProxyHops: 0, listenAddress: '127.0.0.1',
      authnModule: '/cache/bin/libturnpike_authn.so', accessLog: { path: '/dev/stdout' },
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
    expect(() => operatorConfig(['--bogus'], {})).toThrow(/bogus/);
  });

  it('reads the rate-limit service address, which replaces the one standalone would start', () => {
    const config = loadConfig('standalone', ['-f', 'x', '--ratelimit-address', 'ratelimit.turnpike-system:8081'], {});
    expect(config.gateway.rateLimit).toEqual({ host: 'ratelimit.turnpike-system', port: 8081 });
    expect(config.mode).toMatchObject({ rateLimit: false });
    expect(operatorConfig([], { TURNPIKE_RATELIMIT_ADDRESS: '[::1]:8081' }).gateway.rateLimit).toEqual({ host: '::1', port: 8081 });
    expect(operatorConfig([], {}).gateway.rateLimit).toBeUndefined();
    expect(loadConfig('standalone', ['-f', 'x', '--no-ratelimit'], {}).mode).toMatchObject({ rateLimit: false });
    expect(() => operatorConfig(['--ratelimit-address', 'nohost'], {})).toThrow(new ConfigError('--ratelimit-address: nohost is not host:port'));
  });

  it('reads the default limit per Api: calls per second, or per the unit named', () => {
    expect(operatorConfig([], {}).gateway.defaultApiLimit).toBeUndefined();
    expect(operatorConfig(['--default-api-limit', '200'], {}).gateway.defaultApiLimit).toEqual({ limit: 200, unit: 'SECOND' });
    expect(operatorConfig([], { TURNPIKE_DEFAULT_API_LIMIT: '6000/Minute' }).gateway.defaultApiLimit).toEqual({ limit: 6000, unit: 'MINUTE' });
    expect(operatorConfig([], { TURNPIKE_DEFAULT_API_LIMIT: '' }).gateway.defaultApiLimit).toBeUndefined();
    for (const bad of ['0', '-5', '1.5', '10/week', '2147483648', 'many']) {
      expect(() => operatorConfig([`--default-api-limit=${bad}`], {})).toThrow(
        new ConfigError(`--default-api-limit: ${bad} is not N or N/second|minute|hour|day with N from 1 to 2147483647`),
      );
    }
  });

  it('reads the pod identity for leader election in operator mode', () => {
    const config = operatorConfig([], { POD_NAME: 'tp-0', POD_NAMESPACE: 'gw' });
    expect(config.mode).toMatchObject({ kind: 'operator', identity: 'tp-0', leaseNamespace: 'gw', leaseName: 'turnpike-operator' });
  });
  it('reads the default subdomains\' certificate as NAMESPACE/NAME of a Secret', () => {
    expect(operatorConfig(['--subdomain-tls-secret', 'turnpike-system/subdomains'], {}).gateway.subdomainTls).toEqual({ namespace: 'turnpike-system', name: 'subdomains' });
    expect(operatorConfig([], { TURNPIKE_SUBDOMAIN_TLS_SECRET: '' }).gateway.subdomainTls).toBeUndefined();
    expect(() => operatorConfig(['--subdomain-tls-secret', 'subdomains'], {})).toThrow(new ConfigError('--subdomain-tls-secret: subdomains is not NAMESPACE/NAME of a Secret'));
  });

  it('points Envoy at the authn module: the chart\'s volume in a cluster, the component cache standalone, or --authn-module', () => {
    expect(operatorConfig([], {}).gateway.authnModule).toBe(CLUSTER_AUTHN_MODULE);
    expect(operatorConfig(['--authn-module', '/opt/libauthn.so'], {}).gateway.authnModule).toBe('/opt/libauthn.so');
    expect(loadConfig('standalone', ['-f', '.'], { TURNPIKE_AUTHN_MODULE: '/env/libauthn.so' }).gateway.authnModule).toBe('/env/libauthn.so');
    expect(loadConfig('standalone', ['-f', '.'], { TURNPIKE_CACHE: '/cache' }).gateway.authnModule).toBe('/cache/bin/libturnpike_authn.so');
  });

  it('refuses a module path Envoy cannot load by name', () => {
    for (const value of ['/opt/authn.wasm', '/opt/turnpike_authn.so', '/opt/libauthn-1.so', 'lib.so']) {
      expect(() => operatorConfig(['--authn-module', value], {})).toThrow(new ConfigError(`--authn-module: ${value} is not the path of a lib<name>.so module`));
    }
  });

  describe('xDS transport security', () => {
    it('refuses plaintext xDS on an address other hosts can reach, in one line naming the way out', () => {
      const message = '--xds-host 0.0.0.0 is not a loopback address: serve xDS with mutual TLS (--xds-tls-secrets or --xds-tls-dir), or pass --xds-insecure to serve it in plaintext';
      expect(() => loadConfig('operator', [], {})).toThrow(new ConfigError(message));
      expect(() => loadConfig('standalone', ['-f', 'x', '--xds-host', '10.1.2.3'], {})).toThrow(/^--xds-host 10.1.2.3 is not a loopback address/);
      expect(message).not.toContain('\n');
      expect(loadConfig('operator', ['--xds-insecure'], {}).xds).toEqual({ host: '0.0.0.0', port: 18000 });
      expect(loadConfig('operator', [], { TURNPIKE_XDS_INSECURE: 'true' }).xds.tls).toBeUndefined();
      for (const host of ['127.0.0.1', '127.9.0.1', '::1', 'localhost']) expect(loadConfig('standalone', ['-f', 'x', '--xds-host', host], {}).xds.host).toBe(host);
    });

    it('reads the operator\'s CA: Secret prefix, server names and certificate validity', () => {
      expect(loadConfig('operator', ['--xds-tls-secrets', 'tp-xds-tls'], {}).xds.tls).toEqual({ kind: 'operator-ca', secretPrefix: 'tp-xds-tls', serverNames: ['localhost'], validityMs: 30 * 86_400_000 });
      const env = { TURNPIKE_XDS_TLS_SECRETS: 'x', TURNPIKE_XDS_TLS_SERVER_NAMES: 'tp-xds.ns.svc.cluster.local, 127.0.0.1', TURNPIKE_XDS_TLS_VALIDITY: '90s' };
      expect(loadConfig('operator', [], env).xds.tls).toEqual({ kind: 'operator-ca', secretPrefix: 'x', serverNames: ['tp-xds.ns.svc.cluster.local', '127.0.0.1'], validityMs: 90_000 });
      expect(() => loadConfig('operator', ['--xds-tls-secrets', 'x', '--xds-tls-validity', '10s'], {})).toThrow(new ConfigError('--xds-tls-validity: 10s is not a duration of at least 30s (e.g. 30d, 12h, 90s)'));
      expect(() => loadConfig('operator', ['--xds-tls-secrets', 'x', '--xds-tls-validity', '1w'], {})).toThrow(/1w is not a duration/);
      expect(() => loadConfig('operator', ['--xds-tls-secrets', 'Bad_Name'], {})).toThrow(/Bad_Name is not a valid prefix/);
      expect(loadConfig('operator', ['--xds-tls-secrets', 'x', '--ratelimit-deployment', 'tp-ratelimit'], {}).xds.tls).toMatchObject({ rateLimitDeployment: 'tp-ratelimit' });
      expect(() => loadConfig('operator', ['--xds-insecure', '--ratelimit-deployment', 'tp-ratelimit'], {})).toThrow(/needs --xds-tls-secrets or --xds-tls-dir/);
      expect(loadConfig('operator', ['--xds-tls-dir', 'd', '--ratelimit-deployment', 'rl', '--ratelimit-xds-secret', 'rl-tls'], {}).xds.tls)
        .toEqual({ kind: 'directory', dir: 'd', rateLimitRestart: { deployment: 'rl', secret: 'rl-tls' } });
      expect(() => loadConfig('operator', ['--xds-tls-dir', 'd', '--ratelimit-deployment', 'rl'], {})).toThrow(/--ratelimit-deployment and --ratelimit-xds-secret go together/);
    });

    it('reads a certificate directory instead, never both, and neither in standalone mode', () => {
      expect(loadConfig('operator', ['--xds-tls-dir', '/etc/turnpike/xds-server'], {}).xds.tls).toEqual({ kind: 'directory', dir: '/etc/turnpike/xds-server' });
      expect(() => loadConfig('operator', ['--xds-tls-dir', 'd', '--xds-tls-secrets', 'x'], {})).toThrow(/exclude each other/);
      expect(() => loadConfig('standalone', ['-f', 'x', '--xds-tls-dir', 'd'], {})).toThrow(/are for `turnpike operator`/);
    });
  });
});
