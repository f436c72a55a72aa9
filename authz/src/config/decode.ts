/**
 * turnpike.authz.v1 resources (as delivered over ADS) → the configuration model. A resource that
 * does not have the expected shape is an error: the ADS client NACKs the whole response and keeps
 * the configuration it has.
 */
import { SecretValue, type EncodedAny, type JsonObject, type ProtoRegistry } from '@turnpike/xds-server';
import type { AppConfig, GrantConfig, SignatureKeyConfig } from './model';

export const APP_TYPE = 'type.googleapis.com/turnpike.authz.v1.App';
export const SIGNATURE_KEY_TYPE = 'type.googleapis.com/turnpike.authz.v1.SignatureKey';

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(o: JsonObject, key: string, where: string): string {
  const v = o[key];
  if (v === undefined) return '';
  if (typeof v !== 'string') throw new Error(`${where}: ${key} is not a string`);
  return v;
}

function texts(o: JsonObject, key: string, where: string): string[] {
  const v = o[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) throw new Error(`${where}: ${key} is not a list of strings`);
  return v;
}

function grant(value: unknown, where: string): GrantConfig {
  if (!isObject(value)) throw new Error(`${where}: grant is not an object`);
  const kind = text(value, 'kind', where);
  if (kind !== 'API' && kind !== 'API_GROUP') throw new Error(`${where}: grant kind ${kind} is not API or API_GROUP`);
  return { kind: kind === 'API' ? 'Api' : 'ApiGroup', target: text(value, 'target', where), environments: new Set(texts(value, 'environments', where)) };
}

export function decodeApp(json: JsonObject): AppConfig {
  const id = text(json, 'name', 'App');
  const where = `App ${id}`;
  const grants = json['grants'];
  if (grants !== undefined && !Array.isArray(grants)) throw new Error(`${where}: grants is not a list`);
  const appKey = text(json, 'app_key', where);
  if (id === '' || appKey === '') throw new Error(`${where}: name and app_key are required`);
  return {
    id,
    appKey,
    appSecret: new SecretValue(text(json, 'app_secret', where)),
    appCodes: texts(json, 'app_codes', where).map((c) => new SecretValue(c)),
    grants: (grants ?? []).map((g: unknown) => grant(g, where)),
  };
}

export function decodeSignatureKey(json: JsonObject): SignatureKeyConfig {
  const name = text(json, 'name', 'SignatureKey');
  const type = text(json, 'type', `SignatureKey ${name}`);
  if (type !== 'HMAC' && type !== 'BASIC') throw new Error(`SignatureKey ${name}: type ${type} is not HMAC or BASIC`);
  return { name, type, key: text(json, 'key', `SignatureKey ${name}`), secret: new SecretValue(text(json, 'secret', `SignatureKey ${name}`)) };
}

/** Decodes every resource of one response; throws (→ NACK) on the first malformed one. */
export function decodeResources<T>(registry: ProtoRegistry, typeUrl: string, resources: readonly EncodedAny[], decode: (json: JsonObject) => T): T[] {
  return resources.map((any) => {
    if (any.type_url !== typeUrl) throw new Error(`a ${typeUrl} response carries a ${any.type_url}`);
    return decode(registry.decode(any));
  });
}
