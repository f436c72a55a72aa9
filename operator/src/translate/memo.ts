/**
 * Memos of incremental translation. A step's result is reused while its inputs are the very same
 * values (objects compared by identity) and every read it made of the ResourceSet would answer
 * the same; entries not asked for in a pass are dropped at sweep(), so nothing outlives its object.
 */
import type { KubeObject, ResourceSet } from '../resources/resourceset';
import { readsHold, recorded, type Reads } from './recording';
import type { ValidateFn } from './types';

interface Entry {
  readonly inputs: readonly unknown[];
  readonly reads: Reads;
  readonly value: unknown;
}

const sameInputs = (a: readonly unknown[], b: readonly unknown[]): boolean => a === b || (a.length === b.length && a.every((x, i) => x === b[i]));

export class Memo {
  readonly #entries = new Map<string, Entry>();
  readonly #seen = new Set<string>();
  #computed = 0;

  /** The result of `step` for these inputs: reused, or computed against a recording view of `set`. */
  get<T>(key: string, inputs: readonly unknown[], set: ResourceSet, step: (set: ResourceSet) => T): T {
    this.#seen.add(key);
    const entry = this.#entries.get(key);
    if (entry !== undefined && sameInputs(entry.inputs, inputs) && readsHold(entry.reads, set)) return entry.value as T;
    const { value, reads } = recorded(set, step);
    this.#entries.set(key, { inputs, reads, value });
    this.#computed += 1;
    return value;
  }

  /** Drops what this pass did not ask for; returns how many steps it computed. */
  sweep(): number {
    for (const key of this.#entries.keys()) if (!this.#seen.has(key)) this.#entries.delete(key);
    this.#seen.clear();
    const computed = this.#computed;
    this.#computed = 0;
    return computed;
  }
}

/**
 * Validation memoised per object: informer objects are frozen and keep their identity while
 * unchanged, so an object is validated once. A WeakMap: nothing is kept for objects gone.
 */
export function memoiseValidate(validate: ValidateFn): ValidateFn {
  const results = new WeakMap<KubeObject, { readonly kind: string; readonly result: ReturnType<ValidateFn> }>();
  return (kind, object) => {
    const known = results.get(object);
    if (known?.kind === kind) return known.result;
    const result = validate(kind, object);
    results.set(object, { kind, result });
    return result;
  };
}
