/**
 * Preloaded into the operator with NODE_OPTIONS=--require (Node refuses --cpu-prof there): starts
 * the V8 profiler at once and writes `<dir>/operator-<pid>.cpuprofile` when the process exits.
 * The directory comes from BENCH_CPU_PROF_DIR.
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';

const dir = process.env['BENCH_CPU_PROF_DIR'];
if (dir !== undefined) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  // An in-thread session answers synchronously, so this works inside the 'exit' event.
  process.once('exit', () => {
    session.post('Profiler.stop', (err, result) => {
      if (err === null) fs.writeFileSync(path.join(dir, `operator-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
