/** The validation the pipeline runs: the CRD schemas (with defaults), then the kinds' own rules. */
import type { ValidateFn } from '../translate/types';
import { validateObject } from './index';
import { compileSchemas, findCrdsDir, loadCrds } from './schema';

/** Reads crds/ once and returns the pure ValidateFn the pipeline injects. */
export function schemaValidate(crdsDir: string = findCrdsDir()): ValidateFn {
  const schemas = compileSchemas(loadCrds(crdsDir));
  return (kind, object) => validateObject(kind, object, schemas);
}
