// Dumps and goldens of Envoy resources print secret material as `[redacted]`.
import { REDACTED } from '../ir';
import type { JsonObject, JsonValue } from './json';

/**
 * Fields that hold secrets: DataSources (tls_certificate.private_key, passwords, keys) and the
 * authn filter's credentials (authn.ts).
 */
const SECRET_FIELDS = new Set(['private_key', 'password', 'secret', 'generic_secret', 'app_secret', 'app_codes']);

function redactValue(value: JsonValue, secret: boolean): JsonValue {
  if (value === null || typeof value !== 'object') return secret ? REDACTED : value;
  if (Array.isArray(value)) return (value as readonly JsonValue[]).map((item) => redactValue(item, secret));
  const object = value as JsonObject;
  return Object.fromEntries(Object.entries(object).map(([key, field]) => [key, redactValue(field, secret || SECRET_FIELDS.has(key))]));
}

/** A deep copy with every scalar under a secret field replaced by `[redacted]`. */
export function redactResource(resource: JsonObject): JsonObject {
  return redactValue(resource, false) as JsonObject;
}
