// Backend timeout and retries (Huawei `timeout`, `retry_count`, docs/huawei-compatibility.md §5.3).
import type { ForwardBackendIR, HttpMethod, MethodMatch } from '../ir';
import { TranslateError } from './translate-error';
import { duration, type JsonObject } from './json';

/** Huawei retries idempotent methods once by default, never POST or PATCH. */
const IDEMPOTENT_METHODS: readonly HttpMethod[] = ['GET', 'HEAD', 'PUT', 'OPTIONS', 'DELETE'];

/** Connection failures only: a request the backend may have started processing is never resent. */
const RETRY_ON = 'connect-failure,refused-stream,reset-before-request';

/** Envoy's stream idle timeout default; a longer backend timeout must lift it for the route. */
const DEFAULT_IDLE_MS = 300_000;

function policy(retries: number): JsonObject {
  return { retry_on: RETRY_ON, num_retries: retries };
}

/** RouteAction.retry_policy, or undefined for none. */
export function retryPolicy(retries: number, method: MethodMatch): JsonObject | undefined {
  if (!Number.isInteger(retries) || retries < -1 || retries > 10) {
    throw new TranslateError('XDS_TRANSLATE_OUT_OF_RANGE', `retries ${retries} is outside -1..10`);
  }
  if (retries === 0) return undefined;
  if (retries > 0) return policy(retries);
  if (method === 'ANY') {
    // One route serves every method: only the idempotent ones may retry.
    const methods = IDEMPOTENT_METHODS.join('|');
    return { ...policy(1), retriable_request_headers: [{ name: ':method', string_match: { safe_regex: { regex: `^(?:${methods})$` } } }] };
  }
  return IDEMPOTENT_METHODS.includes(method) ? policy(1) : undefined;
}

/** RouteAction timeout fields. */
export function timeouts(backend: ForwardBackendIR): JsonObject {
  const ms = backend.timeoutMs;
  if (!Number.isInteger(ms) || ms < 1 || ms > 600_000) {
    throw new TranslateError('XDS_TRANSLATE_OUT_OF_RANGE', `timeoutMs ${ms} is outside 1..600000`);
  }
  const out: JsonObject = { timeout: duration(ms) };
  return ms > DEFAULT_IDLE_MS ? { ...out, idle_timeout: duration(ms) } : out;
}
