/**
 * Schema errors in the API server's words. Ajv finds the same violations as the API server's
 * OpenAPI validation; this module renders them as kube-apiserver 1.34 prints them (field paths
 * like `spec.parameters[0].name`, `Required value`, `Unsupported value: "X": supported values: …`,
 * `Too long: may not be more than 255 bytes`, `… in body should be at least 3 chars long`), so a
 * file rejected in standalone mode reads like the `kubectl apply` error for the same object.
 */
import type { ErrorObject } from 'ajv';
import { isContainer } from '../json';

/** One schema violation, rendered. */
export interface SchemaIssue {
  /** The whole message, field path first, as the API server prints it. */
  readonly message: string;
  /**
   * An unknown field. With strict field validation (kubectl's default) the API server fails the
   * request while decoding and reports nothing else; the operator reports these alone too.
   */
  readonly unknownField?: true;
  /**
   * The API server skips every CEL rule when the schema reports one of these (wrong type, missing
   * required field, value outside an enum, too long, too many): "some validation rules were not
   * checked because the object was invalid". The operator skips its rules in the same cases.
   */
  readonly blocking: boolean;
}

/** The message the API server adds when blocking errors stopped it from running the CEL rules. */
export const RULES_NOT_CHECKED =
  'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

/** The API server's spelling of a JSON pointer inside spec: arrays as [i], object keys as .key. */
function fieldPath(instancePath: string, spec: unknown, root = 'spec'): string {
  let field = root;
  let value = spec;
  for (const raw of instancePath.split('/').slice(1)) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    field += Array.isArray(value) ? `[${token}]` : `.${token}`;
    value = isContainer(value) ? value[token] : undefined;
  }
  return field;
}

/** The value at a JSON pointer inside spec. */
function valueAt(instancePath: string, spec: unknown): unknown {
  let value = spec;
  for (const raw of instancePath.split('/').slice(1)) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    value = isContainer(value) ? value[token] : undefined;
  }
  return value;
}

/** The JSON type name the API server reports for a value ("integer" for whole numbers). */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const show = (value: unknown): string => (value === undefined ? 'null' : JSON.stringify(value));
const count = (value: unknown): number =>
  Array.isArray(value) ? value.length : isContainer(value) ? Object.keys(value).length : 0;
const limitOf = (error: ErrorObject): string => String(error.params.limit);

type Render = (field: string, value: unknown, error: ErrorObject) => string;

/** keyword → [blocking, detail renderer]; the details are the API server's. */
const RENDER: Readonly<Record<string, readonly [boolean, Render]>> = {
  required: [true, () => 'Required value'],
  enum: [true, (_f, v, e) => `Unsupported value: ${show(v)}: supported values: ${(e.params.allowedValues as unknown[]).map(show).join(', ')}`],
  maxLength: [true, (_f, _v, e) => `Too long: may not be more than ${limitOf(e)} bytes`],
  maxItems: [true, (_f, v, e) => `Too many: ${count(v)}: must have at most ${limitOf(e)} items`],
  maxProperties: [true, (_f, v, e) => `Too many: ${count(v)}: must have at most ${limitOf(e)} items`],
  type: [true, (f, v, e) => `Invalid value: "${typeName(v)}": ${f} in body must be of type ${String(e.params.type)}: "${typeName(v)}"`],
  minLength: [false, (f, v, e) => `Invalid value: ${show(v)}: ${f} in body should be at least ${limitOf(e)} chars long`],
  minItems: [false, (f, v, e) => `Invalid value: ${count(v)}: ${f} in body should have at least ${limitOf(e)} items`],
  minProperties: [false, (f, v, e) => `Invalid value: ${count(v)}: ${f} in body should have at least ${limitOf(e)} properties`],
  minimum: [false, (f, v, e) => `Invalid value: ${show(v)}: ${f} in body should be greater than or equal to ${limitOf(e)}`],
  maximum: [false, (f, v, e) => `Invalid value: ${show(v)}: ${f} in body should be less than or equal to ${limitOf(e)}`],
  pattern: [false, (f, v, e) => `Invalid value: ${show(v)}: ${f} in body should match '${String(e.params.pattern)}'`],
};

/** Renders one Ajv error against the (defaulted) spec it was found in. */
export function schemaIssue(error: ErrorObject, spec: unknown): SchemaIssue {
  const at = fieldPath(error.instancePath, spec);
  if (error.keyword === 'required') {
    return { message: `${at}.${String(error.params.missingProperty)}: Required value`, blocking: true };
  }
  const value = valueAt(error.instancePath, spec);
  const render = RENDER[error.keyword];
  if (render === undefined) return { message: `${at}: Invalid value: ${show(value)}: ${error.message ?? 'is invalid'}`, blocking: false };
  const [blocking, detail] = render;
  return { message: `${at}: ${detail(at, value, error)}`, blocking };
}
