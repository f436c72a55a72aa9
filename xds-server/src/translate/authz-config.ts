// IR → the authz fleet's resources (turnpike.authz.v1, vendored in xds-server/protos): one App
// and one SignatureKey resource per object, named `<namespace>/<name>`, so a secret reset pushes
// one small resource. Served over ADS to `authzFleet(fleet)` only; dumps redact the secrets.
import { REDACTED, type AppIR, type AuthzIR, type GrantIR, type SignatureKeyIR, type SourceRef } from '../ir';
import { byString, type JsonObject } from './json';

export const AUTHZ_APP_TYPE = 'type.googleapis.com/turnpike.authz.v1.App';
export const AUTHZ_SIGNATURE_KEY_TYPE = 'type.googleapis.com/turnpike.authz.v1.SignatureKey';
export const AUTHZ_TYPES: readonly string[] = [AUTHZ_APP_TYPE, AUTHZ_SIGNATURE_KEY_TYPE];

/** Resources for the authz fleet, by type URL then name (the snapshot cache's input). */
export type AuthzResources = ReadonlyMap<string, ReadonlyMap<string, JsonObject>>;

const nameOf = (source: SourceRef): string => `${source.namespace}/${source.name}`;

function grant(g: GrantIR): JsonObject {
  return { kind: g.kind === 'Api' ? 'API' : 'API_GROUP', target: nameOf(g.target), environments: [...g.environments].sort(byString) };
}

function app(a: AppIR): JsonObject {
  const grants = a.grants.map(grant).sort((x, y) => byString(JSON.stringify(x), JSON.stringify(y)));
  return {
    name: nameOf(a.source),
    app_key: a.appKey,
    app_secret: a.appSecret.reveal(),
    app_codes: a.appCodes.map((code) => code.reveal()),
    grants,
  };
}

function signatureKey(k: SignatureKeyIR): JsonObject {
  return { name: nameOf(k.source), type: k.type, key: k.key, secret: k.secret.reveal() };
}

function byName(resources: readonly JsonObject[]): ReadonlyMap<string, JsonObject> {
  const named = resources.map((r): [string, JsonObject] => [typeof r['name'] === 'string' ? r['name'] : '', r]);
  return new Map(named.sort(([a], [b]) => byString(a, b)));
}

/** Translates the authz part of the IR; an absent AuthzIR is an empty world (authz denies APP calls). */
export function translateAuthz(authz: AuthzIR | undefined): AuthzResources {
  return new Map([
    [AUTHZ_APP_TYPE, byName((authz?.apps ?? []).map(app))],
    [AUTHZ_SIGNATURE_KEY_TYPE, byName((authz?.signatureKeys ?? []).map(signatureKey))],
  ]);
}

const AUTHZ_SECRET_FIELDS = new Set(['app_secret', 'app_codes', 'secret']);

function redactSecrets(resource: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(resource).map(([k, v]) => {
    if (!AUTHZ_SECRET_FIELDS.has(k)) return [k, v];
    return [k, Array.isArray(v) ? v.map(() => REDACTED) : REDACTED];
  }));
}

/** A JSON-ready dump of authz resources with every secret value replaced by `[redacted]`. */
export function dumpAuthzResources(resources: AuthzResources): JsonObject {
  return Object.fromEntries(
    [...resources].map(([type, named]) => [type, Object.fromEntries([...named].map(([name, r]) => [name, redactSecrets(r)]))]),
  );
}
