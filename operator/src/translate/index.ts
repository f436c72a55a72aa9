/**
 * ResourceSet → IR + desired statuses. Pure: the validators are injected, nothing is read or
 * written, and the same set always gives the same result. A long-lived Translator (translator.ts)
 * gives the same results while recomputing only what changed since its previous pass.
 * This entry only re-exports: modules of the folder import each other, never it.
 */
export type { ValidateFn, Translation } from './types';
export type { DesiredStatus, ConditionValue } from './status';
export { Translator, translateResourceSet } from './translator';
