/**
 * The operator's own validation, agreeing with admission (docs/architecture.md, validate): a Turnpike
 * object read from a file (standalone mode, no API server) is rejected exactly when the API server
 * would reject it, with the same messages, and objects from a cluster get the checks admission
 * cannot express. Pure: the compiled schemas are injected (schema.ts compiles them once).
 *
 * Order, as in the API server: unknown fields (reported alone, as strict decoding reports them);
 * metadata; the spec's presence; the OpenAPI schema with defaults and list uniqueness
 * (schema.ts); then the CEL rules of the kind (one module per kind), skipped when the schema found
 * a blocking error, exactly as the API server skips them; then the operator-only checks (a range
 * a-b with a > b, a repeated {param}, …). Every failure
 * is a user mistake and comes back as a value, for Accepted=False with reason Invalid.
 */
import type { AclPolicySpec, ApiGroupSpec, ApiSpec, AppSpec, SignatureKeySpec, ThrottlePolicySpec } from '../api/types';
import type { TurnpikeKind } from '../resources/resourceset';
import { aclPolicyRules } from './aclpolicy';
import { apiRules } from './api';
import { apiGroupRules } from './apigroup';
import { appRules } from './app';
import { isRecord } from '../json';
import { DNS_1123_LABEL, DNS_SUBDOMAIN, evaluate, type Rule } from './common';
import { RULES_NOT_CHECKED } from './issues';
import type { SchemaValidators } from './schema';
import { signatureKeyRules } from './signaturekey';
import { throttlePolicyRules } from './throttlepolicy';

export { compileSchemas, findCrdsDir, loadCrds, type SchemaValidators } from './schema';
export type { CelRule, OperatorCheck, Rule } from './common';

/** The spec type of each kind. */
export interface SpecByKind {
  readonly ApiGroup: ApiGroupSpec;
  readonly Api: ApiSpec;
  readonly App: AppSpec;
  readonly ThrottlePolicy: ThrottlePolicySpec;
  readonly AclPolicy: AclPolicySpec;
  readonly SignatureKey: SignatureKeySpec;
}

export type Validation<K extends TurnpikeKind> =
  | { readonly ok: true; readonly spec: SpecByKind[K] }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Each kind's rules: the mirror of its CRD's CEL rules plus the operator's own checks. */
export const RULES: Readonly<Record<TurnpikeKind, readonly Rule[]>> = {
  ApiGroup: apiGroupRules,
  Api: apiRules,
  App: appRules,
  ThrottlePolicy: throttlePolicyRules,
  AclPolicy: aclPolicyRules,
  SignatureKey: signatureKeyRules,
};

/** Kinds whose CRD lists spec in the root's `required` (ApiGroup and App, whose spec fields are all optional, default it to {} instead). */
export const SPEC_REQUIRED: Readonly<Record<TurnpikeKind, boolean>> = {
  ApiGroup: false,
  Api: true,
  App: false,
  ThrottlePolicy: true,
  AclPolicy: true,
  SignatureKey: true,
};

/** A fault, not a user mistake: validateObject was given schemas without this kind. */
export class ValidateFault extends Error {
  readonly code = 'VALIDATE_NO_SCHEMA';
}

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** The API server's generic name checks, which every object passes before any schema. */
function nameErrors(field: string, value: unknown, max: number, pattern: RegExp, message: string): string[] {
  if (value === undefined || value === null || value === '') return field === 'metadata.name' ? [`${field}: Required value`] : [];
  if (typeof value !== 'string') return [`${field}: Invalid value: ${JSON.stringify(value)}: must be a string`];
  const errors: string[] = [];
  if (value.length > max) errors.push(`${field}: Invalid value: ${JSON.stringify(value)}: must be no more than ${max} characters`);
  if (!pattern.test(value)) errors.push(`${field}: Invalid value: ${JSON.stringify(value)}: ${message}`);
  return errors;
}

function metadataErrors(metadata: unknown): string[] {
  if (!isRecord(metadata)) return ['metadata.name: Required value'];
  return [
    ...nameErrors('metadata.name', metadata.name, 253, DNS_SUBDOMAIN, SUBDOMAIN_MESSAGE),
    ...nameErrors('metadata.namespace', metadata.namespace, 63, DNS_1123_LABEL, LABEL_MESSAGE),
  ];
}

/**
 * Validates one object of `kind` (its apiVersion and kind are the caller's business): returns the
 * typed spec with the CRD defaults applied, or every error found.
 */
export function validateObject<K extends TurnpikeKind>(kind: K, object: unknown, schemas: SchemaValidators): Validation<K> {
  const schema = schemas.get(kind);
  if (schema === undefined) throw new ValidateFault(`no compiled schema for ${kind}`);
  const metadata = isRecord(object) ? object.metadata : undefined;
  const errors = metadataErrors(metadata);
  const given = isRecord(object) ? object.spec : undefined;
  if ((given === undefined || given === null) && SPEC_REQUIRED[kind]) {
    return { ok: false, errors: [...errors, 'spec: Required value', RULES_NOT_CHECKED] };
  }
  const { spec, issues } = schema(given);
  const unknownFields = issues.filter((issue) => issue.unknownField === true);
  if (unknownFields.length > 0) return { ok: false, errors: unknownFields.map((issue) => issue.message) };
  errors.push(...issues.map((issue) => issue.message));
  if (issues.some((issue) => issue.blocking)) errors.push(RULES_NOT_CHECKED);
  else errors.push(...evaluate(RULES[kind], { metadata, spec }));
  // The spec passed the CRD schema and every rule: it has the shape of the kind's spec type.
  return errors.length === 0 ? { ok: true, spec: spec as SpecByKind[K] } : { ok: false, errors };
}
