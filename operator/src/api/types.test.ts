// types.ts must match crds/*.yaml field for field: a sample with every TS field set (enforced by
// DeepRequired) is compared, key by key, with the CRD's spec and status schemas.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ConditionReason, ConditionType } from './conditions';
import {
  PLURALS,
  type AclPolicySpec,
  type ApiGroupSpec,
  type ApiGroupStatus,
  type ApiSpec,
  type AppSpec,
  type AppStatus,
  type CommonStatus,
  type Kind,
  type SignatureKeySpec,
  type ThrottlePolicySpec,
} from './types';
import { isRecord } from '../json';

type DeepRequired<T> = T extends readonly (infer U)[]
  ? readonly DeepRequired<U>[]
  : T extends object
    ? { readonly [K in keyof T]-?: DeepRequired<T[K]> }
    : T;

type Json = Record<string, unknown>;

const crdsDir = path.join(__dirname, '..', '..', '..', 'crds');

function schemaOf(kind: Kind): Json {
  const crd: unknown = parse(fs.readFileSync(path.join(crdsDir, `turnpike.dev_${PLURALS[kind]}.yaml`), 'utf8'));
  if (!isRecord(crd) || !isRecord(crd.spec) || !Array.isArray(crd.spec.versions)) throw new Error(`${kind}: not a CRD`);
  const version: unknown = crd.spec.versions[0];
  if (!isRecord(version) || !isRecord(version.schema) || !isRecord(version.schema.openAPIV3Schema)) {
    throw new Error(`${kind}: no schema`);
  }
  return version.schema.openAPIV3Schema;
}

/** Lists every place where the sample and the schema disagree on field names. */
function diff(schema: unknown, value: unknown, at: string, out: string[]): string[] {
  if (!isRecord(schema)) return out;
  if (isRecord(schema.properties)) {
    if (!isRecord(value)) return [...out, `${at}: sample is not an object`];
    const want = Object.keys(schema.properties).sort();
    const have = Object.keys(value).sort();
    for (const key of want.filter((k) => !have.includes(k))) out.push(`${at}.${key}: in the CRD, not in the type`);
    for (const key of have.filter((k) => !want.includes(k))) out.push(`${at}.${key}: in the type, not in the CRD`);
    for (const key of want.filter((k) => have.includes(k))) diff(schema.properties[key], value[key], `${at}.${key}`, out);
  } else if (isRecord(schema.items)) {
    if (!Array.isArray(value) || value.length === 0) return [...out, `${at}: sample needs one item`];
    diff(schema.items, value[0], `${at}[]`, out);
  }
  return out;
}

const condition = {
  type: ConditionType.Accepted,
  status: 'True',
  observedGeneration: 1,
  lastTransitionTime: '2026-01-01T00:00:00Z',
  reason: ConditionReason.Accepted,
  message: '',
} as const;
const common: DeepRequired<CommonStatus> = { observedGeneration: 2, servedGeneration: 1, conditions: [condition] };
const targetRefs = [{ group: 'turnpike.dev', kind: 'Api', name: 'a' }] as const;

const apiGroup: DeepRequired<ApiGroupSpec> = {
  description: '',
  domains: [{ hostname: 'a.example.com', tls: { secretName: 's' }, minTlsVersion: 'TLSv1.2', httpsRedirect: true }],
  defaultSubdomain: { enabled: true },
  environments: [{ name: 'DEV', variables: { port: '1' } }],
};
const api: DeepRequired<ApiSpec> = {
  groupRef: { name: 'g' },
  description: '',
  method: 'GET',
  path: '/',
  matchMode: 'Exact',
  protocol: 'BOTH',
  auth: { type: 'APP', appCode: true },
  cors: false,
  parameters: [
    {
      name: 'q', in: 'QUERY', type: 'STRING', required: false, default: 'a', enum: ['a'],
      minimum: 0, maximum: 1, minLength: 0, maxLength: 1, passThrough: true,
    },
  ],
  backend: {
    service: { name: 's', port: 80, path: '/' },
    url: { scheme: 'HTTPS', host: 'h', path: '/' },
    mock: { status: 200, body: '', headers: { a: 'b' } },
    timeoutMs: 1,
    retries: -1,
    signatureKeyRef: { name: 'k' },
  },
  environments: ['RELEASE'],
};
const app: DeepRequired<AppSpec> = {
  description: '',
  credentialsSecretRef: { name: 's' },
  grants: [{ kind: 'Api', name: 'a', environments: ['RELEASE'] }],
  quota: { limit: 1, unit: 'DAY', interval: 1 },
};
const throttle: DeepRequired<ThrottlePolicySpec> = {
  description: '',
  targetRefs,
  environments: ['RELEASE'],
  window: { unit: 'MINUTE', interval: 1 },
  limits: { api: 2, app: 1, ip: 1 },
  counting: 'PerApi',
  specialApps: [{ name: 'a', limit: 1 }],
  failureMode: 'FailOpen',
  precision: 'Fast',
};
const acl: DeepRequired<AclPolicySpec> = {
  description: '',
  targetRefs,
  environments: ['RELEASE'],
  action: 'ALLOW',
  type: 'IP',
  ips: ['10.0.0.1'],
  apps: ['a'],
};
const signatureKey: DeepRequired<SignatureKeySpec> = { description: '', type: 'HMAC', secretRef: { name: 's' } };
const groupStatus: DeepRequired<ApiGroupStatus> = { ...common, subdomain: 'x' };
const appStatus: DeepRequired<AppStatus> = { ...common, appKey: 'k' };

const samples: readonly [Kind, unknown, unknown][] = [
  ['ApiGroup', apiGroup, groupStatus],
  ['Api', api, common],
  ['App', app, appStatus],
  ['ThrottlePolicy', throttle, common],
  ['AclPolicy', acl, common],
  ['SignatureKey', signatureKey, common],
];

describe('types.ts matches crds/', () => {
  it.each(samples)('%s spec and status have the same fields as the CRD', (kind, spec, status) => {
    const schema = schemaOf(kind);
    const properties = isRecord(schema.properties) ? schema.properties : {};
    expect(diff(properties.spec, spec, 'spec', [])).toEqual([]);
    expect(diff(properties.status, status, 'status', [])).toEqual([]);
  });

  it('names one CRD file per kind', () => {
    const files = fs.readdirSync(crdsDir).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).toEqual(Object.values(PLURALS).map((plural) => `turnpike.dev_${plural}.yaml`).sort());
  });
});
