/**
 * The control plane's heap policy. Between full collections V8 lets the heap grow to up to four
 * times what survived the last one. The operator's live set is large and long-lived (every
 * object, its IR and its Envoy configuration), so that headroom, not the live set, was most of
 * its memory: 311 MiB RSS at 10,000 Apis against 121 MiB of live heap (docs/performance.md).
 * Growing by 10 % between collections keeps RSS close to the live set at the cost of more
 * frequent (concurrent) marking; at 10,000 Apis 10 % and 20 % measured the same latency, and 10 %
 * a few MiB less RSS. It is not a limit: the heap still grows as far as the live set
 * needs, so a larger installation never runs out of heap because of it.
 */
import { setFlagsFromString } from 'node:v8';
import { scavengeWhenIdle } from './idle-scavenge';

export const HEAP_GROWING_PERCENT = 10;

/**
 * What the control plane's launchers give Node, since V8 and the C library read it only as the
 * process starts (docs/performance.md has the measurements, at 10,000 Apis):
 * - `--max-semi-space-size=8`: V8's young generation at 16 MiB instead of 32, all of which a
 *   start-up's burst of allocation committed: 25 MiB of RSS, no measurable latency;
 * - `MALLOC_ARENA_MAX=2`: glibc's malloc gives each thread (libuv's pool, V8's workers) an arena
 *   of its own by default, up to 8 per core, each holding freed memory: 10–14 MiB of RSS.
 * The launchers: the image (Dockerfile's entrypoint and ENV), `make run`, the CLI's shebang (npm's
 * `turnpike`) and the e2e harness; heap.test.ts checks they all pass these.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
export const LAUNCH_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** The V8 flags to set, unless the command line already chose a growing factor. */
export function heapFlags(execArgv: readonly string[]): string[] {
  const chosen = execArgv.some((arg) => arg.replaceAll('_', '-').startsWith('--heap-growing-percent'));
  return chosen ? [] : [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`];
}

/**
 * Applies heapFlags to this process (V8 reads the factor at each collection) and collects the young
 * generation while the process is idle (idle-scavenge.ts).
 */
export function applyHeapPolicy(execArgv: readonly string[] = process.execArgv): void {
  for (const flag of heapFlags(execArgv)) setFlagsFromString(flag);
  scavengeWhenIdle();
}
