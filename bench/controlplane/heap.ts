/** Heap retained by a value: heapUsed after full GCs, with and without it alive. */
import v8 from 'node:v8';
import vm from 'node:vm';

let collect: (() => void) | undefined;

function gc(): void {
  if (collect === undefined) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  collect();
  collect();
}

/** MiB of heap still used after `build()` while its result is kept alive. */
export function retainedMiB(build: () => unknown): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = build();
  gc();
  const after = process.memoryUsage().heapUsed;
  // Keeps `kept` reachable until after the second measurement.
  if (kept === undefined) return Number.NaN;
  return (after - before) / (1024 * 1024);
}
