/**
 * The first validation layer outside the API server: each CRD's own OpenAPI schema, compiled with
 * Ajv. It also applies the schema's defaults, so objects read from files (standalone mode, never
 * seen by an API server) are defaulted exactly as the API server would default them.
 *
 * `compileSchemas` reproduces what the API server does with a spec before any CEL rule runs:
 * null fields are dropped (then defaulted), unknown fields are rejected (strict field validation),
 * the OpenAPI schema is checked and `x-kubernetes-list-type` sets and maps must be unique; errors
 * read as the API server writes them (issues.ts). `compileSpecValidators` is the original, simpler
 * surface (Ajv's own messages), kept for its callers.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { TURNPIKE_KINDS, type TurnpikeKind } from '../resources/resourceset';
import { schemaIssue, type SchemaIssue } from './issues';
import { listTypeErrors, unknownFields } from './listtype';
import { shareUnchanged } from './share';
import { isRecord } from '../json';

export type SpecCheck = { readonly ok: true; readonly spec: unknown } | { readonly ok: false; readonly errors: readonly string[] };
export type SpecValidators = ReadonlyMap<TurnpikeKind, (spec: unknown) => SpecCheck>;

/** What the schema layer found in one spec. */
export interface SchemaResult {
  /** A defaulted copy of the spec (nulls dropped, defaults applied); the input is not modified. */
  readonly spec: unknown;
  /** Every violation, in the API server's words; empty when the spec is valid. */
  readonly issues: readonly SchemaIssue[];
}
/** The schema layer of every kind, compiled once from crds/ and injected where validation runs. */
export type SchemaValidators = ReadonlyMap<TurnpikeKind, (spec: unknown) => SchemaResult>;

interface CrdDocument {
  readonly spec: {
    readonly names: { readonly kind: string };
    readonly versions: readonly { readonly name: string; readonly schema: { readonly openAPIV3Schema: { readonly properties: { readonly spec: object } } } }[];
  };
}

/** Finds the crds/ directory above this file (source tree, dist tree or the image's /app). */
export function findCrdsDir(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'crds');
    if (fs.existsSync(path.join(candidate, 'turnpike.dev_apis.yaml'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`no crds/ directory above ${from}`);
  }
}

/** Reads every CRD in `dir` (I/O; done once at start-up). */
export function loadCrds(dir: string): CrdDocument[] {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => parse(fs.readFileSync(path.join(dir, file), 'utf8')) as CrdDocument);
}

function describe(error: ErrorObject): string {
  const at = `spec${error.instancePath.replace(/\//g, '.')}`;
  if (error.keyword === 'additionalProperties') {
    return `${at}: unknown field "${String(error.params.additionalProperty)}"`;
  }
  if (error.keyword === 'enum') {
    return `${at}: must be one of ${(error.params.allowedValues as unknown[]).map(String).join(', ')}`;
  }
  return `${at}: ${error.message ?? 'is invalid'}`;
}

type Json = Record<string, unknown>;

/** The v1alpha1 spec schema of each Turnpike kind in `crds`; throws when a kind has none. */
function specSchemas(crds: readonly CrdDocument[]): Map<TurnpikeKind, Json> {
  const schemas = new Map<TurnpikeKind, Json>();
  for (const crd of crds) {
    const kind = TURNPIKE_KINDS.find((k) => k === crd.spec.names.kind);
    const version = crd.spec.versions.find((v) => v.name === 'v1alpha1');
    if (kind === undefined || version === undefined) continue;
    schemas.set(kind, version.schema.openAPIV3Schema.properties.spec as Json);
  }
  for (const kind of TURNPIKE_KINDS) {
    if (!schemas.has(kind)) throw new Error(`crds/ has no v1alpha1 schema for ${kind}`);
  }
  return schemas;
}

/** Compiles the v1alpha1 spec schema of every Turnpike kind (Ajv's messages; see compileSchemas). */
export function compileSpecValidators(crds: readonly CrdDocument[]): SpecValidators {
  // Kubernetes' x-kubernetes-* keywords and int32/int64 formats are not JSON Schema: not strict.
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, validateFormats: false });
  const validators = new Map<TurnpikeKind, (spec: unknown) => SpecCheck>();
  for (const [kind, schema] of specSchemas(crds)) {
    const compiled: ValidateFunction = ajv.compile(schema);
    validators.set(kind, (spec: unknown): SpecCheck => {
      const copy: unknown = structuredClone(spec ?? {});
      if (compiled(copy)) return { ok: true, spec: copy };
      return { ok: false, errors: [...new Set((compiled.errors ?? []).map(describe))] };
    });
  }
  return validators;
}

/**
 * Drops null fields and null map values, in place, unless the schema says nullable: the API server
 * prunes them before defaulting (so `ips:` with no value is as if absent). Nulls inside lists stay
 * and fail the type check, as they do at admission.
 */
function dropNulls(schema: unknown, value: unknown): void {
  if (!isRecord(schema)) return;
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) dropNulls(schema.items, item);
    return;
  }
  if (!isRecord(value)) return;
  const properties = isRecord(schema.properties) ? schema.properties : {};
  for (const [key, child] of Object.entries(value)) {
    const childSchema = properties[key] ?? schema.additionalProperties;
    if (childSchema === undefined || childSchema === false) continue; // an unknown field: reported as such
    if (child === null && !(isRecord(childSchema) && childSchema.nullable === true)) Reflect.deleteProperty(value, key);
    else dropNulls(childSchema, child);
  }
}

/** Compiles every kind's spec schema into the API server's pre-CEL checks (see the file comment). */
export function compileSchemas(crds: readonly CrdDocument[]): SchemaValidators {
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, validateFormats: false });
  const validators = new Map<TurnpikeKind, (spec: unknown) => SchemaResult>();
  for (const [kind, schema] of specSchemas(crds)) {
    const compiled: ValidateFunction = ajv.compile(schema);
    validators.set(kind, (spec: unknown): SchemaResult => {
      const copy: unknown = structuredClone(spec ?? {});
      const unknown = unknownFields(schema, copy, 'spec');
      // Strict field validation fails the request while decoding: nothing else is reported.
      if (unknown.length > 0) return { spec: copy, issues: unknown.map((field) => ({ message: `unknown field "${field}"`, blocking: true, unknownField: true })) };
      dropNulls(schema, copy);
      const valid = compiled(copy);
      const issues = valid ? [] : (compiled.errors ?? []).map((error) => schemaIssue(error, copy));
      const lists = listTypeErrors(schema, copy, 'spec').map((message) => ({ message, blocking: false }));
      return { spec: shareUnchanged(spec, copy), issues: dedupe([...issues, ...lists]) };
    });
  }
  return validators;
}

function dedupe(issues: readonly SchemaIssue[]): SchemaIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => !seen.has(issue.message) && seen.add(issue.message));
}
