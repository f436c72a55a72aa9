/**
 * The API server's structural checks that are not JSON Schema, read from the CRD schema itself so
 * a CRD change needs no code: unknown fields (strict field validation, the port of structural
 * pruning) and `x-kubernetes-list-type: set | map` uniqueness (the port of
 * ValidateListSetsAndMaps). Uniqueness runs on the defaulted spec (map keys such as
 * targetRefs[].group are defaulted first) and reports each repeated value once, at its second
 * occurrence: `spec.ips[1]: Duplicate value: "10.0.0.1"`.
 */

type Json = Readonly<Record<string, unknown>>;
const schemaAt = (value: unknown): Json | undefined => (isRecord(value) ? value : undefined);

/** JSON with sorted keys: the API server's rendering of a duplicate (Go marshals maps sorted). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}

/**
 * Fields the schema does not declare, as strict decoding names them (`spec.domains[0].foo`). An
 * object where the schema expects no object (a string, a list) has only unknown fields.
 */
import { isRecord } from '../json';
export function unknownFields(schema: Json | undefined, value: unknown, field: string, out: string[] = []): string[] {
  if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => unknownFields(schemaAt(schema?.items), item, `${field}[${index}]`, out));
  } else if (isRecord(value) && schema?.['x-kubernetes-preserve-unknown-fields'] !== true) {
    const properties = schemaAt(schema?.properties) ?? {};
    for (const [key, child] of Object.entries(value)) {
      const childSchema = schemaAt(properties[key]) ?? schemaAt(schema?.additionalProperties);
      if (childSchema === undefined) out.push(`${field}.${key}`);
      else unknownFields(childSchema, child, `${field}.${key}`, out);
    }
  }
  return out;
}

/** The identity of a map-list item: its key fields (a missing one is left out). */
function keyOf(item: Json, mapKeys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(mapKeys.filter((name) => item[name] !== undefined).map((name) => [name, item[name]]));
}

function duplicates(list: readonly unknown[], field: string, identity: (item: unknown) => string): string[] {
  const seen = new Map<string, number>();
  const errors: string[] = [];
  list.forEach((item, index) => {
    if (item === null) return;
    const id = identity(item);
    const times = (seen.get(id) ?? 0) + 1;
    seen.set(id, times);
    if (times === 2) errors.push(`${field}[${index}]: Duplicate value: ${id}`);
  });
  return errors;
}

function listErrors(schema: Json, list: readonly unknown[], field: string): string[] {
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') return duplicates(list, field, canonical);
  if (listType !== 'map') return [];
  const notObject = list.findIndex((item) => item !== null && !isRecord(item));
  if (notObject >= 0) {
    return [`${field}[${notObject}]: Invalid value: ${canonical(list[notObject])}: must be an object for an array of list-type map`];
  }
  const mapKeys = Array.isArray(schema['x-kubernetes-list-map-keys']) ? (schema['x-kubernetes-list-map-keys'] as unknown[]).map(String) : [];
  return duplicates(list, field, (item) => canonical(isRecord(item) ? keyOf(item, mapKeys) : item));
}

/** Walks schema and value together and reports every set or map list whose items are not unique. */
export function listTypeErrors(schema: Json | undefined, value: unknown, field: string, out: string[] = []): string[] {
  if (schema === undefined) return out;
  if (Array.isArray(value)) {
    out.push(...listErrors(schema, value, field));
    value.forEach((item: unknown, index) => listTypeErrors(schemaAt(schema.items), item, `${field}[${index}]`, out));
  } else if (isRecord(value)) {
    const properties = schemaAt(schema.properties) ?? {};
    for (const [key, child] of Object.entries(value)) {
      listTypeErrors(schemaAt(properties[key]) ?? schemaAt(schema.additionalProperties), child, `${field}.${key}`, out);
    }
  }
  return out;
}
