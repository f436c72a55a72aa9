// Jest environment for the e2e project: when a test or hook fails it prints the tail of every
// component log the harness captured in that file, and at teardown it reaps every process the
// harness started — also when a test timed out.
const { TestEnvironment } = require('jest-environment-node');
const fs = require('node:fs');

class TurnpikeEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    if (event.name !== 'test_fn_failure' && event.name !== 'hook_failure') return;
    const logs = this.global.__turnpikeLogs ?? [];
    for (const file of logs) {
      let text = '(no log)';
      try {
        text = fs.readFileSync(file, 'utf8').split('\n').slice(-40).join('\n');
      } catch {}
      process.stderr.write(`\n----- ${file} (last 40 lines) -----\n${text}\n`);
    }
  }

  async teardown() {
    const reap = this.global.__turnpikeReap;
    if (typeof reap === 'function') await reap();
    await super.teardown();
  }
}

module.exports = TurnpikeEnvironment;
