// The access log: one JSON line per call, written by Envoy when the call ends. The fields are
// documented for users in docs/operating.md ("Access log"); change both together.
// Never a secret: no Authorization, X-Apig-AppCode, X-Sdk-* or query string (it may carry
// anything), and no header the caller could fill with one; only facts the gateway decided.
import type { AccessLogIR } from '../ir';
import { typed, type JsonObject } from './json';
import { APP_ID_HEADER } from '../ir';
import { METADATA_NAMESPACE } from './metadata';

const route = (key: string): string => `%METADATA(ROUTE:${METADATA_NAMESPACE}:${key})%`;

/** Field → Envoy command operator. Numbers stay numbers in json_format; a missing value is null. */
const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  time: '%START_TIME(%Y-%m-%dT%H:%M:%S.%3fZ)%',
  request_id: '%REQ(X-REQUEST-ID)%',
  group: route('group'),
  api: route('api'),
  environment: route('environment'),
  // Set by the authn filter once it has authenticated the caller (a caller's copy is stripped first).
  app: `%REQ(${APP_ID_HEADER.toUpperCase()})%`,
  // After the trusted proxies of X-Forwarded-For: the address ACLs and per-IP limits see.
  client_ip: '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%',
  method: '%REQ(:METHOD)%',
  // The Host and the path (without its query string) the caller sent, before any rewrite for the
  // backend: the hygiene filter keeps them (lua.ts).
  host: `%DYNAMIC_METADATA(${METADATA_NAMESPACE}:host)%`,
  path: `%DYNAMIC_METADATA(${METADATA_NAMESPACE}:path)%`,
  status: '%RESPONSE_CODE%',
  // Huawei's error code of the gateway's own answers (lua.ts records it); null for a backend's.
  error_code: `%DYNAMIC_METADATA(${METADATA_NAMESPACE}:error_code)%`,
  response_flags: '%RESPONSE_FLAGS%',
  latency_ms: '%DURATION%',
  // Sending the request upstream to the first byte of its response; null when no backend was called.
  upstream_latency_ms: '%COMMON_DURATION(US_TX_BEG:US_RX_BEG:ms)%',
  upstream_host: '%UPSTREAM_HOST%',
  bytes_received: '%BYTES_RECEIVED%',
  bytes_sent: '%BYTES_SENT%',
};

const LOGGERS: Readonly<Record<string, string>> = {
  '/dev/stdout': 'envoy.extensions.access_loggers.stream.v3.StdoutAccessLog',
  '/dev/stderr': 'envoy.extensions.access_loggers.stream.v3.StderrAccessLog',
};

/** The HCM's access_log list for `log`; empty without one. */
export function accessLogs(log: AccessLogIR | undefined): JsonObject[] {
  if (log === undefined) return [];
  const format = { log_format: { json_format: ACCESS_LOG_FIELDS } };
  const stream = LOGGERS[log.path];
  return [{
    name: 'envoy.access_loggers.turnpike',
    typed_config: stream === undefined
      ? typed('envoy.extensions.access_loggers.file.v3.FileAccessLog', { path: log.path, ...format })
      : typed(stream, format),
  }];
}
