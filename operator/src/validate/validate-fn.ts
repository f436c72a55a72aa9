/** The validation the pipeline runs: the CRD schemas (with defaults), then the kinds' own rules. */
import type { ValidateFn } from '../translate';
import { compileSpecValidators, findCrdsDir, loadCrds } from './schema';

/** Reads crds/ once and returns the pure ValidateFn the pipeline injects. */
export function schemaValidate(crdsDir: string = findCrdsDir()): ValidateFn {
  const validators = compileSpecValidators(loadCrds(crdsDir));
  return (kind, object) => {
    const check = validators.get(kind);
    if (check === undefined) return { ok: false, errors: [`no schema for kind ${kind}`] };
    const result = check(object.spec);
    return result.ok ? result : { ok: false, errors: result.errors };
  };
}
