/**
 * The first validation layer outside the API server: each CRD's own OpenAPI schema, compiled with
 * Ajv. It also applies the schema's defaults, so objects read from files (standalone mode, never
 * seen by an API server) are defaulted exactly as the API server would default them.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { TURNPIKE_KINDS, type TurnpikeKind } from '../provider/resourceset';

export type SpecCheck = { readonly ok: true; readonly spec: unknown } | { readonly ok: false; readonly errors: readonly string[] };
export type SpecValidators = ReadonlyMap<TurnpikeKind, (spec: unknown) => SpecCheck>;

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

/** Compiles the v1alpha1 spec schema of every Turnpike kind. */
export function compileSpecValidators(crds: readonly CrdDocument[]): SpecValidators {
  // Kubernetes' x-kubernetes-* keywords and int32/int64 formats are not JSON Schema: not strict.
  const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, validateFormats: false });
  const validators = new Map<TurnpikeKind, (spec: unknown) => SpecCheck>();
  for (const crd of crds) {
    const kind = TURNPIKE_KINDS.find((k) => k === crd.spec.names.kind);
    const version = crd.spec.versions.find((v) => v.name === 'v1alpha1');
    if (kind === undefined || version === undefined) continue;
    const compiled: ValidateFunction = ajv.compile(version.schema.openAPIV3Schema.properties.spec);
    validators.set(kind, (spec: unknown): SpecCheck => {
      const copy: unknown = structuredClone(spec ?? {});
      if (compiled(copy)) return { ok: true, spec: copy };
      return { ok: false, errors: [...new Set((compiled.errors ?? []).map(describe))] };
    });
  }
  for (const kind of TURNPIKE_KINDS) {
    if (!validators.has(kind)) throw new Error(`crds/ has no v1alpha1 schema for ${kind}`);
  }
  return validators;
}
