// Which spec fields the cases use, against the fields the CRDs define: a new CRD field fails the
// golden test until some case writes it. Paths read `spec.backend.url.host`, list items `[]`;
// the keys of free-form maps (variables, mock headers) are values, not fields.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { KubeObject } from '../..';

const CRDS_DIR = path.join(__dirname, '..', '..', '..', '..', 'crds');

interface Schema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly items?: Schema;
}

interface Crd {
  readonly spec: { readonly names: { readonly kind: string }; readonly versions: readonly { readonly schema: { readonly openAPIV3Schema: Schema } }[] };
}

function schemaPaths(schema: Schema, prefix: string): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, field]) => {
    const at = `${prefix}.${name}`;
    const inner = field.type === 'array' && field.items !== undefined ? schemaPaths(field.items, `${at}[]`) : schemaPaths(field, at);
    return [at, ...inner];
  });
}

/** Kind → every field path of its spec, from crds/. */
export function crdFields(): ReadonlyMap<string, readonly string[]> {
  const crds = fs.readdirSync(CRDS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => parse(fs.readFileSync(path.join(CRDS_DIR, f), 'utf8')) as Crd);
  return new Map(crds.map((crd) => {
    const spec = crd.spec.versions[0]?.schema.openAPIV3Schema.properties?.spec ?? {};
    return [crd.spec.names.kind, schemaPaths(spec, 'spec')];
  }));
}

function usedPaths(value: unknown, prefix: string, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) usedPaths(item, `${prefix}[]`, into);
  } else if (typeof value === 'object' && value !== null) {
    for (const [name, field] of Object.entries(value)) {
      into.add(`${prefix}.${name}`);
      usedPaths(field, `${prefix}.${name}`, into);
    }
  }
}

/** The fields of `kind` that no object of `objects` sets. */
export function unusedFields(kind: string, fields: readonly string[], objects: readonly KubeObject[]): string[] {
  const used = new Set<string>();
  for (const object of objects) if (object.kind === kind) usedPaths(object.spec, 'spec', used);
  return fields.filter((field) => !used.has(field)).sort();
}
