/**
 * Configuration is read once, here, from flags and TURNPIKE_* environment variables (flags win),
 * and injected everywhere else. Nothing below main.ts reads process.env or argv.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AccessLogIR, DefaultApiLimitIR, RateLimitUnit } from '@turnpike/xds-server';

export interface GatewayConfig {
  /** Default subdomains are <group>.<namespace>.<baseDomain>. */
  readonly baseDomain: string;
  /** The Envoy fleet (xDS node.cluster) this control plane configures. */
  readonly fleet: string;
  readonly httpPort: number;
  readonly httpsPort: number;
  /** The HTTPS port callers use (redirect targets); differs from httpsPort behind a Service. */
  readonly httpsPublicPort: number;
  /** Proxies in front of Envoy whose X-Forwarded-For entries are trusted for the client address. */
  readonly trustedProxyHops: number;
  /** Address Envoy's listeners bind to. */
  readonly listenAddress: string;
  /** envoyproxy/ratelimit's gRPC address (`--ratelimit-address`); absent: nothing is rate limited. */
  readonly rateLimit?: { readonly host: string; readonly port: number };
  /** The default limit on every Api (`--default-api-limit`, Huawei `ratelimit_api_limits`); absent: none. */
  readonly defaultApiLimit?: DefaultApiLimitIR;
  /**
   * The authn filter's Wasm module as Envoy finds it (`--authn-module`): app authentication and
   * backend signing run inside Envoy. Absent: APP Apis answer 401 and nothing is signed (fail closed).
   */
  readonly authnModule?: string;
  /**
   * The kubernetes.io/tls Secret served for the default subdomains over HTTPS
   * (`--subdomain-tls-secret NAMESPACE/NAME`); absent: subdomains are HTTP only. Standalone mode
   * generates one (standalone-tls.ts).
   */
  readonly subdomainTls?: { readonly namespace: string; readonly name: string };
  /** Where Envoy writes one JSON line per call (`--access-log`); absent: no access log. */
  readonly accessLog?: AccessLogIR;
}

export interface XdsConfig {
  readonly host: string;
  readonly port: number;
}

export interface StandaloneConfig {
  readonly kind: 'standalone';
  readonly dir: string;
  /** Start Envoy (from `make setup`) when true. */
  readonly envoy: boolean;
  /** Serve the demo echo backend on these ports (the examples call 18080 and 18081). */
  readonly demoBackendPorts: readonly number[];
  /** Where standalone keeps Envoy's bootstrap and admin address. */
  readonly stateDir: string;
  /** Start envoyproxy/ratelimit and Redis (when installed) unless --no-ratelimit or --ratelimit-address. */
  readonly rateLimit: boolean;
  /** Serve /healthz, /readyz and /metrics on this port (on the xDS host address); absent means off. */
  readonly healthPort?: number;
}

export interface OperatorConfig {
  readonly kind: 'operator';
  /** Path of a kubeconfig; absent means in-cluster or $KUBECONFIG. */
  readonly kubeconfig?: string;
  readonly leaseNamespace: string;
  readonly leaseName: string;
  readonly identity: string;
  /** Serve /healthz, /readyz and /metrics on this port (on the xDS host address); absent means off. */
  readonly healthPort?: number;
}

export interface Config {
  readonly gateway: GatewayConfig;
  readonly xds: XdsConfig;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  readonly mode: StandaloneConfig | OperatorConfig;
}

const OPTIONS = {
  file: { type: 'string', short: 'f' },
  'base-domain': { type: 'string' },
  fleet: { type: 'string' },
  'http-port': { type: 'string' },
  'https-port': { type: 'string' },
  'https-public-port': { type: 'string' },
  'trusted-proxy-hops': { type: 'string' },
  'listen-address': { type: 'string' },
  'xds-host': { type: 'string' },
  'xds-port': { type: 'string' },
  'log-level': { type: 'string' },
  'no-envoy': { type: 'boolean' },
  'ratelimit-address': { type: 'string' },
  'authn-module': { type: 'string' },
  'subdomain-tls-secret': { type: 'string' },
  'no-ratelimit': { type: 'boolean' },
  'default-api-limit': { type: 'string' },
  'demo-backends': { type: 'string' },
  'state-dir': { type: 'string' },
  kubeconfig: { type: 'string' },
  'lease-namespace': { type: 'string' },
  'lease-name': { type: 'string' },
  identity: { type: 'string' },
  'health-port': { type: 'string' },
  'access-log': { type: 'string' },
} as const;

/** A configuration error: the message says which flag or variable is wrong. */
export class ConfigError extends Error {}

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`--${name}: ${value} is not a port number`);
  return n;
}

function count(name: string, value: string | undefined): number {
  const n = Number(value ?? '0');
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new ConfigError(`--${name}: ${value ?? ''} is not a number from 0 to 10`);
  return n;
}

/** `host:port` (IPv6 hosts in brackets). */
function hostPort(name: string, value: string | undefined): { host: string; port: number } | undefined {
  if (value === undefined || value === '') return undefined;
  const match = /^\[?([^\]]+?)\]?:([0-9]+)$/.exec(value);
  if (match?.[1] === undefined) throw new ConfigError(`--${name}: ${value} is not host:port`);
  return { host: match[1], port: port(name, match[2], 0) };
}

const UNITS: Readonly<Record<string, RateLimitUnit>> = { second: 'SECOND', minute: 'MINUTE', hour: 'HOUR', day: 'DAY' };

/** `N` (calls per second) or `N/second|minute|hour|day`; empty or absent: no default limit. */
function defaultApiLimit(value: string | undefined): Pick<GatewayConfig, 'defaultApiLimit'> {
  if (value === undefined || value === '') return {};
  const match = /^([0-9]+)(?:\/([a-z]+))?$/i.exec(value.trim());
  const limit = Number(match?.[1]);
  const unit = UNITS[(match?.[2] ?? 'second').toLowerCase()];
  if (unit === undefined || !Number.isSafeInteger(limit) || limit < 1 || limit > 2_147_483_647) {
    throw new ConfigError(`--default-api-limit: ${value} is not N or N/second|minute|hour|day with N from 1 to 2147483647`);
  }
  return { defaultApiLimit: { limit, unit } };
}

function logLevel(value: string | undefined): Config['logLevel'] {
  const level = value ?? 'info';
  if (level === 'debug' || level === 'info' || level === 'warn' || level === 'error') return level;
  throw new ConfigError(`--log-level: ${level} is not one of debug, info, warn, error`);
}

/** Parses `turnpike <standalone|operator> [flags]`. */
export function loadConfig(mode: 'standalone' | 'operator', argv: readonly string[], env: NodeJS.ProcessEnv): Config {
  const { values } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
  const pick = (flag: keyof typeof OPTIONS, variable: string): string | undefined => {
    const value = values[flag];
    return typeof value === 'string' ? value : env[variable];
  };
  const httpsPort = port('https-port', pick('https-port', 'TURNPIKE_HTTPS_PORT'), 8443);
  const gateway: GatewayConfig = {
    baseDomain: pick('base-domain', 'TURNPIKE_BASE_DOMAIN') ?? 'apigw.localhost',
    fleet: pick('fleet', 'TURNPIKE_FLEET') ?? 'turnpike',
    httpPort: port('http-port', pick('http-port', 'TURNPIKE_HTTP_PORT'), 8080),
    httpsPort,
    httpsPublicPort: port('https-public-port', pick('https-public-port', 'TURNPIKE_HTTPS_PUBLIC_PORT'), mode === 'standalone' ? httpsPort : 443),
    trustedProxyHops: count('trusted-proxy-hops', pick('trusted-proxy-hops', 'TURNPIKE_TRUSTED_PROXY_HOPS')),
    listenAddress: pick('listen-address', 'TURNPIKE_LISTEN_ADDRESS') ?? (mode === 'standalone' ? '127.0.0.1' : '0.0.0.0'),
    ...withRateLimit(hostPort('ratelimit-address', pick('ratelimit-address', 'TURNPIKE_RATELIMIT_ADDRESS'))),
    ...defaultApiLimit(pick('default-api-limit', 'TURNPIKE_DEFAULT_API_LIMIT')),
    authnModule: pick('authn-module', 'TURNPIKE_AUTHN_MODULE') ?? defaultAuthnModule(mode, env),
    ...subdomainTls(pick('subdomain-tls-secret', 'TURNPIKE_SUBDOMAIN_TLS_SECRET')),
    ...accessLog(pick('access-log', 'TURNPIKE_ACCESS_LOG')),
  };
  const xds: XdsConfig = {
    host: pick('xds-host', 'TURNPIKE_XDS_HOST') ?? (mode === 'standalone' ? '127.0.0.1' : '0.0.0.0'),
    port: port('xds-port', pick('xds-port', 'TURNPIKE_XDS_PORT'), 18000),
  };
  const flags = { noEnvoy: values['no-envoy'] === true, rateLimit: values['no-ratelimit'] !== true && gateway.rateLimit === undefined };
  return { gateway, xds, logLevel: logLevel(pick('log-level', 'TURNPIKE_LOG_LEVEL')), mode: modeConfig(mode, pick, flags) };
}

/** `stdout` (default), `stderr`, `off`, or an absolute path on Envoy's file system. */
function accessLog(value: string | undefined): Pick<GatewayConfig, 'accessLog'> {
  const given = value === undefined || value === '' ? 'stdout' : value;
  if (given === 'off') return {};
  if (given === 'stdout' || given === 'stderr') return { accessLog: { path: `/dev/${given}` } };
  if (!given.startsWith('/')) throw new ConfigError(`--access-log: ${given} is not stdout, stderr, off or an absolute path`);
  return { accessLog: { path: given } };
}

function withRateLimit(address: { host: string; port: number } | undefined): Pick<GatewayConfig, 'rateLimit'> {
  return address === undefined ? {} : { rateLimit: address };
}

/** `NAMESPACE/NAME` of a Secret; empty or absent: none. */
function subdomainTls(value: string | undefined): Pick<GatewayConfig, 'subdomainTls'> {
  if (value === undefined || value === '') return {};
  const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-.a-z0-9]*[a-z0-9])?)$/.exec(value);
  if (match?.[1] === undefined || match[3] === undefined) throw new ConfigError(`--subdomain-tls-secret: ${value} is not NAMESPACE/NAME of a Secret`);
  return { subdomainTls: { namespace: match[1], name: match[3] } };
}

/**
 * Standalone Envoy loads the module `make setup` built into the component cache; a cluster's Envoy
 * pods find it where the chart mounts it (charts/turnpike/templates/envoy.yaml).
 */
function defaultAuthnModule(mode: 'standalone' | 'operator', env: NodeJS.ProcessEnv): string {
  if (mode === 'operator') return CLUSTER_AUTHN_MODULE;
  return path.join(env.TURNPIKE_CACHE ?? path.join(os.homedir(), '.cache', 'turnpike'), 'bin', 'turnpike-authn.wasm');
}

/** Where the chart's Envoy pods hold the authn module. */
export const CLUSTER_AUTHN_MODULE = '/etc/turnpike/wasm/turnpike-authn.wasm';

function modeConfig(
  mode: 'standalone' | 'operator',
  pick: (flag: keyof typeof OPTIONS, variable: string) => string | undefined,
  flags: { readonly noEnvoy: boolean; readonly rateLimit: boolean },
): StandaloneConfig | OperatorConfig {
  const healthPort = pick('health-port', 'TURNPIKE_HEALTH_PORT');
  const health = healthPort === undefined ? {} : { healthPort: port('health-port', healthPort, 0) };
  if (mode === 'standalone') {
    const dir = pick('file', 'TURNPIKE_FILES');
    if (dir === undefined) throw new ConfigError('standalone needs -f DIR: the directory of manifests to serve');
    const demo = pick('demo-backends', 'TURNPIKE_DEMO_BACKENDS') ?? '';
    const demoBackendPorts = demo === '' ? [] : demo.split(',').map((p) => port('demo-backends', p.trim(), 0));
    const stateDir = pick('state-dir', 'TURNPIKE_STATE_DIR') ?? '.turnpike/standalone';
    return { kind: 'standalone', dir, envoy: !flags.noEnvoy, demoBackendPorts, stateDir, rateLimit: flags.rateLimit, ...health };
  }
  const kubeconfig = pick('kubeconfig', 'KUBECONFIG');
  return {
    kind: 'operator',
    ...(kubeconfig === undefined ? {} : { kubeconfig }),
    ...health,
    leaseNamespace: pick('lease-namespace', 'POD_NAMESPACE') ?? 'turnpike-system',
    leaseName: pick('lease-name', 'TURNPIKE_LEASE_NAME') ?? 'turnpike-operator',
    identity: pick('identity', 'POD_NAME') ?? `${os.hostname()}-${process.pid}`,
  };
}
