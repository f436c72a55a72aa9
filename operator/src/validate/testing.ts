/**
 * Test support for the validate/ tests (not used by the operator): the schemas compiled from the
 * repository's crds/, and a one-call way to validate a spec of a kind.
 */
import type { TurnpikeKind } from '../resources/resourceset';
import { validateObject } from './index';
import { compileSchemas, findCrdsDir, loadCrds, type SchemaValidators } from './schema';

export const schemas: SchemaValidators = compileSchemas(loadCrds(findCrdsDir()));

/** The errors validateObject reports for `spec` ([] when valid). */
export function errorsOf(kind: TurnpikeKind, spec: unknown, name = 'obj'): readonly string[] {
  const result = validateObject(kind, { apiVersion: 'turnpike.dev/v1alpha1', kind, metadata: { name }, spec }, schemas);
  return result.ok ? [] : result.errors;
}

/** The defaulted spec validateObject returns; throws (failing the test) when it is invalid. */
export function specOf(kind: TurnpikeKind, spec: unknown): unknown {
  const result = validateObject(kind, { apiVersion: 'turnpike.dev/v1alpha1', kind, metadata: { name: 'obj' }, spec }, schemas);
  if (!result.ok) throw new Error(`expected a valid ${kind}: ${result.errors.join('; ')}`);
  return result.spec;
}
