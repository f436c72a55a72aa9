/**
 * Configuration is read once, here, from flags and TURNPIKE_* environment variables (flags win),
 * and injected everywhere else. Nothing below main.ts reads process.env or argv.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AccessLogIR, DefaultApiLimitIR, RateLimitUnit } from '@turnpike/xds-server';
import { componentBin } from './components';

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
   * The authn filter's native module as Envoy finds it (`--authn-module`, a `lib<name>.so` path):
   * app authentication and backend signing run inside Envoy, which loads the module by name from
   * the directory in its ENVOY_DYNAMIC_MODULES_SEARCH_PATH. Absent: APP Apis answer 401 and nothing
   * is signed (fail closed).
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
  /** Mutual TLS on xDS; absent: plaintext (loopback only, unless `--xds-insecure`). */
  readonly tls?: XdsTlsConfig;
}

/**
 * Where the xDS server's certificate comes from: the operator's own CA kept in Secrets named after
 * `prefix` (xds-tls/names.ts), or a directory such as a mounted cert-manager Secret.
 */
export type XdsTlsConfig =
  | {
    readonly kind: 'operator-ca'; readonly secretPrefix: string; readonly serverNames: readonly string[]; readonly validityMs: number;
    /** ratelimit's Deployment, restarted when its certificate is renewed (`--ratelimit-deployment`). */
    readonly rateLimitDeployment?: string;
  }
  | {
    readonly kind: 'directory'; readonly dir: string;
    /** ratelimit's Deployment and the Secret of its certificate (cert-manager's), restarted when that changes. */
    readonly rateLimitRestart?: { readonly deployment: string; readonly secret: string };
  };

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
  'xds-tls-secrets': { type: 'string' },
  'xds-tls-dir': { type: 'string' },
  'xds-tls-server-names': { type: 'string' },
  'xds-tls-validity': { type: 'string' },
  'xds-insecure': { type: 'boolean' },
  'ratelimit-deployment': { type: 'string' },
  'ratelimit-xds-secret': { type: 'string' },
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
    authnModule: authnModule(pick('authn-module', 'TURNPIKE_AUTHN_MODULE') ?? defaultAuthnModule(mode, env)),
    ...subdomainTls(pick('subdomain-tls-secret', 'TURNPIKE_SUBDOMAIN_TLS_SECRET')),
    ...accessLog(pick('access-log', 'TURNPIKE_ACCESS_LOG')),
  };
  const xdsHost = pick('xds-host', 'TURNPIKE_XDS_HOST') ?? (mode === 'standalone' ? '127.0.0.1' : '0.0.0.0');
  const tls = xdsTls(mode, pick);
  const insecure = values['xds-insecure'] === true || env.TURNPIKE_XDS_INSECURE === 'true';
  if (tls === undefined && !insecure && !isLoopback(xdsHost)) {
    throw new ConfigError(`--xds-host ${xdsHost} is not a loopback address: serve xDS with mutual TLS (--xds-tls-secrets or --xds-tls-dir), or pass --xds-insecure to serve it in plaintext`);
  }
  const xds: XdsConfig = {
    host: xdsHost,
    port: port('xds-port', pick('xds-port', 'TURNPIKE_XDS_PORT'), 18000),
    ...(tls === undefined ? {} : { tls }),
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

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function xdsTls(mode: 'standalone' | 'operator', pick: (flag: keyof typeof OPTIONS, variable: string) => string | undefined): XdsTlsConfig | undefined {
  const prefix = pick('xds-tls-secrets', 'TURNPIKE_XDS_TLS_SECRETS') ?? '';
  const dir = pick('xds-tls-dir', 'TURNPIKE_XDS_TLS_DIR') ?? '';
  const rateLimitDeployment = pick('ratelimit-deployment', 'TURNPIKE_RATELIMIT_DEPLOYMENT') ?? '';
  if (rateLimitDeployment !== '' && prefix === '' && dir === '') throw new ConfigError('--ratelimit-deployment restarts ratelimit when its xDS certificate is renewed: it needs --xds-tls-secrets or --xds-tls-dir');
  if (prefix === '' && dir === '') return undefined;
  if (mode === 'standalone') throw new ConfigError('--xds-tls-secrets and --xds-tls-dir are for `turnpike operator`; standalone serves xDS on loopback');
  if (prefix !== '' && dir !== '') throw new ConfigError('--xds-tls-secrets and --xds-tls-dir exclude each other: the certificate comes from the operator\'s CA or from the directory');
  if (dir !== '') return directoryTls(dir, rateLimitDeployment, pick('ratelimit-xds-secret', 'TURNPIKE_RATELIMIT_XDS_SECRET') ?? '');
  return { ...operatorCa(prefix, pick), ...(rateLimitDeployment === '' ? {} : { rateLimitDeployment }) };
}

/** `--ratelimit-deployment` with a certificate directory: the Secret to watch is named separately. */
function directoryTls(dir: string, deployment: string, secret: string): XdsTlsConfig {
  if ((deployment === '') !== (secret === '')) {
    throw new ConfigError('with --xds-tls-dir, --ratelimit-deployment and --ratelimit-xds-secret go together: the Deployment to restart and the Secret of its certificate');
  }
  return { kind: 'directory', dir, ...(deployment === '' ? {} : { rateLimitRestart: { deployment, secret } }) };
}

function operatorCa(prefix: string, pick: (flag: keyof typeof OPTIONS, variable: string) => string | undefined): XdsTlsConfig & { kind: 'operator-ca' } {
  if (!/^[a-z0-9]([-a-z0-9]{0,220}[a-z0-9])?$/.test(prefix)) throw new ConfigError(`--xds-tls-secrets: ${prefix} is not a valid prefix for Secret names`);
  const names = (pick('xds-tls-server-names', 'TURNPIKE_XDS_TLS_SERVER_NAMES') ?? 'localhost').split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (names.length === 0) throw new ConfigError('--xds-tls-server-names: give at least one DNS name or IP address');
  return {
    kind: 'operator-ca', secretPrefix: prefix, serverNames: names,
    validityMs: duration('xds-tls-validity', pick('xds-tls-validity', 'TURNPIKE_XDS_TLS_VALIDITY') ?? '30d'),
  };
}

const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `N` followed by s, m, h or d; at least 30 seconds. */
function duration(name: string, value: string): number {
  const match = /^([0-9]+)([smhd])$/.exec(value.trim());
  const ms = Number(match?.[1]) * (DURATION_UNITS[match?.[2] ?? ''] ?? Number.NaN);
  if (!Number.isSafeInteger(ms) || ms < 30_000) throw new ConfigError(`--${name}: ${value} is not a duration of at least 30s (e.g. 30d, 12h, 90s)`);
  return ms;
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

/** Envoy loads a module by name (`lib<name>.so`) from a directory: the path must have that form. */
function authnModule(value: string): string {
  if (!AUTHN_MODULE_FILE.test(path.basename(value))) throw new ConfigError(`--authn-module: ${value} is not the path of a lib<name>.so module`);
  return value;
}

const AUTHN_MODULE_FILE = /^lib[A-Za-z0-9_]+\.so$/;

/**
 * Standalone Envoy loads the module `make setup` built into the component cache; a cluster's Envoy
 * pods find it where the chart mounts it (charts/turnpike/templates/envoy.yaml).
 */
function defaultAuthnModule(mode: 'standalone' | 'operator', env: NodeJS.ProcessEnv): string {
  if (mode === 'operator') return CLUSTER_AUTHN_MODULE;
  return path.join(componentBin(env), AUTHN_MODULE_FILE_NAME);
}

/** The module's file as `make setup` and the image build it. */
const AUTHN_MODULE_FILE_NAME = 'libturnpike_authn.so';
/** Where the chart's Envoy pods hold the authn module. */
export const CLUSTER_AUTHN_MODULE = `/etc/turnpike/authn/${AUTHN_MODULE_FILE_NAME}`;

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
