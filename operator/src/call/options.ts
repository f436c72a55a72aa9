/**
 * `turnpike call` flags, curl-like. Pure parsing: reading the credentials file and sending are
 * done by command.ts.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config';

export interface CallOptions {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Inline body (-d) or a file to read it from (--data-file, `@file` with -d). */
  readonly body?: { readonly inline: string } | { readonly file: string };
  /** --app-key/--app-secret, or a Secret manifest / JSON file with appKey and appSecret. */
  readonly credentials?: { readonly key: string; readonly secret: string } | { readonly file: string };
  /** X-Apig-AppCode instead of a signature (HTTPS only on the gateway). */
  readonly appCode?: string;
  readonly unsignedPayload: boolean;
  readonly stage?: string;
  /** Adds X-Apig-Mode: debug. */
  readonly debug: boolean;
  /** Connects here instead of the URL's host (like curl --connect-to); Host and signature keep the URL's. */
  readonly connect?: { readonly host: string; readonly port: number };
  /** Skips TLS certificate verification. */
  readonly insecure: boolean;
  /** Prints every response header, not only X-Request-Id and X-Apig-*. */
  readonly verbose: boolean;
}

const OPTIONS = {
  request: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  data: { type: 'string', short: 'd' },
  'data-file': { type: 'string' },
  'app-key': { type: 'string' },
  'app-secret': { type: 'string' },
  credentials: { type: 'string' },
  'app-code': { type: 'string' },
  'unsigned-payload': { type: 'boolean' },
  stage: { type: 'string' },
  debug: { type: 'boolean' },
  connect: { type: 'string' },
  insecure: { type: 'boolean', short: 'k' },
  verbose: { type: 'boolean', short: 'v' },
} as const;

const CALL_USAGE = `usage: turnpike call [flags] URL
  -X, --request METHOD        default GET (POST with a body)
  -H, --header 'Name: value'  repeatable; signed like every header present
  -d, --data BODY             request body (@FILE reads a file)
      --data-file FILE        request body from a file
      --app-key KEY --app-secret SECRET
      --credentials FILE      a Secret manifest (YAML/JSON) or JSON with appKey and appSecret
                              (defaults: TURNPIKE_APP_KEY and TURNPIKE_APP_SECRET)
      --app-code CODE         send X-Apig-AppCode instead of signing (HTTPS only)
      --unsigned-payload      sign X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD instead of the body
      --stage ENV             X-Stage (default: RELEASE)
      --debug                 X-Apig-Mode: debug (latency and rate-limit headers)
      --connect HOST:PORT     connect there; Host and signature keep the URL's host
  -k, --insecure              do not verify the TLS certificate
  -v, --verbose               print every response header
Prints the status, X-Request-Id and X-Apig-* headers on stderr and the body on stdout; exits 1
when the status is 400 or more.`;

function header(line: string): [string, string] {
  const colon = line.indexOf(':');
  if (colon <= 0) throw new ConfigError(`-H: "${line}" is not "Name: value"`);
  return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
}

function hostPort(value: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (match?.[1] === undefined || !(port > 0 && port < 65536)) throw new ConfigError(`--connect: ${value} is not host:port`);
  return { host: match[1], port };
}

function credentialsOf(values: { 'app-key'?: string; 'app-secret'?: string; credentials?: string }, env: NodeJS.ProcessEnv): CallOptions['credentials'] {
  if (values.credentials !== undefined) return { file: values.credentials };
  const key = values['app-key'] ?? env.TURNPIKE_APP_KEY;
  const secret = values['app-secret'] ?? env.TURNPIKE_APP_SECRET;
  if (key === undefined && secret === undefined) return undefined;
  if (key === undefined || secret === undefined) throw new ConfigError('--app-key and --app-secret go together');
  return { key, secret };
}

function bodyOf(values: { data?: string; 'data-file'?: string }): CallOptions['body'] {
  if (values['data-file'] !== undefined) return { file: values['data-file'] };
  if (values.data === undefined) return undefined;
  return values.data.startsWith('@') ? { file: values.data.slice(1) } : { inline: values.data };
}

export function parseCallOptions(argv: readonly string[], env: NodeJS.ProcessEnv): CallOptions {
  const { values, positionals } = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0) throw new ConfigError(`one URL expected\n${CALL_USAGE}`);
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new ConfigError(`${target} is not an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${target} is not an http(s) URL`);
  const body = bodyOf(values);
  const credentials = credentialsOf(values, env);
  return {
    url,
    method: (values.request ?? (body === undefined ? 'GET' : 'POST')).toUpperCase(),
    headers: Object.fromEntries((values.header ?? []).map(header)),
    ...(body === undefined ? {} : { body }),
    ...(credentials === undefined ? {} : { credentials }),
    ...(values['app-code'] === undefined ? {} : { appCode: values['app-code'] }),
    unsignedPayload: values['unsigned-payload'] === true,
    ...(values.stage === undefined ? {} : { stage: values.stage }),
    debug: values.debug === true,
    ...(values.connect === undefined ? {} : { connect: hostPort(values.connect) }),
    insecure: values.insecure === true,
    verbose: values.verbose === true,
  };
}
