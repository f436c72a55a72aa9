// A fact derived from one group's IR, computed once per group object: the IR is readonly and a
// group unchanged by an edit is the same object, so a pass asking every group reads only the
// groups that changed. A WeakMap: nothing is kept for a group gone.
import type { ApiGroupIR } from '../ir';

export function perGroup<T>(derive: (group: ApiGroupIR) => T): (group: ApiGroupIR) => T {
  const memo = new WeakMap<ApiGroupIR, { readonly value: T }>();
  return (group) => {
    let entry = memo.get(group);
    if (entry === undefined) {
      entry = { value: derive(group) };
      memo.set(group, entry);
    }
    return entry.value;
  };
}
