/**
 * Shared machinery of the operator's rule layer: the rule tables each kind module declares (one
 * entry per x-kubernetes-validations rule of its CRD, same message, same place), the evaluator that
 * walks an object along those places, and the small string helpers CEL has and JavaScript lacks.
 *
 * Rule locations use the notation of the admission spec's schema walk: `.spec.parameters[]` is
 * every item of spec.parameters, `.spec.environments[].variables{}` every value of that map and
 * `` (empty) the object itself. A rule runs once for every value present at its location, as a
 * CEL rule does, and reports `<field path><fieldPath>: <message>`, the field path the API server
 * prints (`spec.parameters[0].name`, map entries as `variables[key]`).
 */

/**
 * What a rule sees: the spec type with every field optional, all the way down. Rules only run on
 * objects whose every value has its schema type (see index.ts), but the schema may still have
 * reported a missing required field, so rules must not assume presence.
 */
export type Loose<T> = T extends readonly (infer U)[]
  ? readonly Loose<U>[]
  : T extends object
    ? { readonly [K in keyof T]?: Loose<T[K]> }
    : T;

/** The mirror of one x-kubernetes-validations rule. */
export interface CelRule {
  readonly source: 'cel';
  /** Where the CRD declares the rule (schema walk notation, see above). */
  readonly at: string;
  /** The rule's fieldPath, relative to `at` ('' when the rule has none). */
  readonly fieldPath: string;
  /** The rule's message, character for character. */
  readonly message: string;
  /** True when the CEL expression evaluates to true for `self`. */
  readonly holds: (self: unknown) => boolean;
}

/** A check the CRD author left to the operator (CEL cannot express it, or not within its cost budget). */
import { isRecord } from '../json';
export interface OperatorCheck {
  readonly source: 'operator';
  readonly at: string;
  /** What the check enforces, for people and for the tests. */
  readonly summary: string;
  /** Problems found in `self`, each `[relative field path, message]`. */
  readonly problems: (self: unknown) => readonly (readonly [string, string])[];
}

export type Rule = CelRule | OperatorCheck;

/** Declares the mirror of a CEL rule; `T` is the type of `self` at `at`. */
export function cel<T>(at: string, message: string, holds: (self: Loose<T>) => boolean, fieldPath = ''): CelRule {
  // The value was validated against the CRD schema before any rule runs: it has the shape of T.
  return { source: 'cel', at, fieldPath, message, holds: (self) => holds(self as Loose<T>) };
}

/** Declares an operator-only check; `T` is the type of `self` at `at`. */
export function check<T>(
  at: string,
  summary: string,
  problems: (self: Loose<T>) => readonly (readonly [string, string])[],
): OperatorCheck {
  return { source: 'operator', at, summary, problems: (self) => problems(self as Loose<T>) };
}

interface Located {
  readonly field: string;
  readonly value: unknown;
}

/** Rule locations are a small fixed set: each is parsed once (bench/controlplane measured the regex at half of validation). */
const parsedLocations = new Map<string, readonly string[]>();

/** Splits `.spec.parameters[].name` into ['spec', '[]', 'parameters', ...] steps. */
function steps(at: string): readonly string[] {
  let parsed = parsedLocations.get(at);
  if (parsed === undefined) {
    parsed = [...at.matchAll(/\.([^.[{]+)|\[\]|\{\}/g)].map((match) => match[1] ?? match[0]);
    parsedLocations.set(at, parsed);
  }
  return parsed;
}

function step(located: readonly Located[], token: string): Located[] {
  const next: Located[] = [];
  for (const { field, value } of located) {
    if (token === '[]') {
      if (Array.isArray(value)) value.forEach((item: unknown, index) => next.push({ field: `${field}[${index}]`, value: item }));
    } else if (token === '{}') {
      if (isRecord(value)) for (const [key, item] of Object.entries(value)) next.push({ field: `${field}[${key}]`, value: item });
    } else if (isRecord(value) && value[token] !== undefined) {
      next.push({ field: field === '' ? token : `${field}.${token}`, value: value[token] });
    }
  }
  return next;
}

/** Every value present at a rule location, with its field path. */
export function locate(root: unknown, at: string): Located[] {
  return steps(at).reduce<Located[]>((located, token) => step(located, token), [{ field: '', value: root }]);
}

const join = (field: string, relative: string): string => `${field}${relative}`.replace(/^\./, '');
const report = (field: string, message: string): string => (field === '' ? message : `${field}: ${message}`);

/** Runs every rule against `root` (an object `{ metadata, spec }`) and returns the messages, in table order. */
export function evaluate(rules: readonly Rule[], root: unknown): string[] {
  const errors: string[] = [];
  for (const rule of rules) {
    for (const { field, value } of locate(root, rule.at)) {
      if (rule.source === 'cel') {
        if (!rule.holds(value)) errors.push(report(join(field, rule.fieldPath), rule.message));
      } else {
        for (const [relative, message] of rule.problems(value)) errors.push(report(join(field, relative), message));
      }
    }
  }
  return errors;
}

// CEL string helpers ------------------------------------------------------------------------

/** CEL size() of a string: code points, not UTF-16 units. */
export const size = (text: string): number => text.length - (text.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g) ?? []).length;

/** CEL lowerAscii(): only A-Z change. */
export const lowerAscii = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

// Name patterns shared by several CRDs ------------------------------------------------------

/** Lowercase RFC 1123 subdomain: object and Secret names. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** DNS-1035 label (starts with a letter): ApiGroup and Service names. */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 label: namespace names. */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Environment names. */
const ENVIRONMENT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const ENVIRONMENT_MESSAGE = "environment name must start with a letter and contain only letters, digits and '_' (3-64 characters)";

/** The environment-name rule, which every kind with environments declares on each list item. */
export const environmentRule = (at: string): CelRule => cel<string>(at, ENVIRONMENT_MESSAGE, (self) => ENVIRONMENT_NAME.test(self));
