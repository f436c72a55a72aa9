// One case's golden text: what the operator concludes of each object (statuses: Accepted,
// ResolvedRefs, Programmed as it reads once the fleet ACKed, the status fields), the IR, the Envoy
// resources and the rate-limit service's configuration, as YAML with sorted keys. Secret values
// print as `[redacted]` (SecretValue in the IR, dumpResources for Envoy).
import { stringify } from 'yaml';
import { buildRateLimitConfig, dumpResources, translateIR, type EnvoyResources } from '@turnpike/xds-server';
import { toResourceSet, Translator, type KubeObject, type ValidateFn } from '../..';
import { programmedCondition } from '../../pipeline';
import type { GoldenCase } from './cases';

export interface Rendered {
  readonly text: string;
  readonly resources: EnvoyResources;
  /** The rate-limit service's configuration; undefined without a rate-limit service. */
  readonly rateLimit: ReturnType<typeof buildRateLimitConfig>;
  /** The case's objects whose spec the operator accepted. */
  readonly accepted: readonly KubeObject[];
}

const key = (o: KubeObject): string => `${o.kind}/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return (value as unknown[]).map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sortKeys(v)]));
}

export function render(golden: GoldenCase, validate: ValidateFn): Rendered {
  const { set, ignored } = toResourceSet(golden.objects);
  const translator = new Translator(golden.config, validate);
  if (golden.before !== undefined) translator.translate(toResourceSet(golden.before).set);
  const translation = translator.translate(set);
  const resources = translateIR(translation.ir, { envoys: golden.envoys });
  const rateLimit = buildRateLimitConfig(translation.ir);
  // Programmed as it reads once every Envoy ACKed; the keys name the objects, so no source.
  const statuses = Object.fromEntries([...translation.statuses].map(([name, status]) => {
    const programmed = programmedCondition(name, status, { kind: 'Programmed' }, new Map());
    return [name, { ...status, programmed, source: undefined }];
  }));
  const out = {
    statuses,
    ...(ignored.length === 0 ? {} : { ignored: ignored.map(key) }),
    ir: translation.ir,
    envoy: dumpResources(resources),
    ratelimit: rateLimit ?? null,
  };
  // Through JSON: SecretValue prints as [redacted], undefined fields vanish. The sections keep
  // their order (statuses first: what a user reads), everything inside is sorted.
  const json = JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
  const text = stringify(Object.fromEntries(Object.entries(json).map(([section, value]) => [section, sortKeys(value)])), { lineWidth: 0 });
  const accepted = golden.objects.filter((o) => translation.statuses.get(key(o))?.accepted.status === 'True');
  return { text, resources, rateLimit, accepted };
}

/** Secret keys that hold identifiers, not secrets (status.appKey shows the AppKey; certificates are public). */
const PUBLIC_KEYS = new Set(['appKey', 'key', 'tls.crt', 'ca.crt']);

/** The secret values of the case's Secrets (AppCodes one by one): none may appear in its golden. */
export function secretValues(objects: readonly KubeObject[]): string[] {
  return objects.filter((o) => o.apiVersion === 'v1' && o.kind === 'Secret').flatMap((secret) => {
    const encoded = Object.entries(secret.data ?? {}).map(([name, value]): [string, string] => [name, Buffer.from(value, 'base64').toString('utf8')]);
    const values = [...encoded, ...Object.entries(secret.stringData ?? {})].filter(([name]) => !PUBLIC_KEYS.has(name));
    return values.flatMap(([, value]) => value.split('\n').map((line) => line.trim())).filter((line) => line.length >= 8 && !line.startsWith('-----'));
  });
}
