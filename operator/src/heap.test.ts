import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HEAP_GROWING_PERCENT, heapFlags, LAUNCH_ENV, NODE_FLAGS } from './heap';

const repo = path.join(__dirname, '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(repo, file), 'utf8');

describe('heap policy', () => {
  it('sets a 10 % growing factor unless the command line chose one', () => {
    expect(heapFlags([])).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    expect(heapFlags(['--max-old-space-size=512'])).toHaveLength(1);
    expect(heapFlags(['--heap-growing-percent=50'])).toEqual([]);
    expect(heapFlags(['--heap_growing_percent=50'])).toEqual([]);
  });

  it('is a flag this Node accepts (V8 ignores unknown flags silently; --v8-options lists them)', () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    expect(options).toContain('--heap-growing-percent');
    for (const flag of NODE_FLAGS) expect(options).toContain(flag.split('=')[0]);
  });

  it('has every launcher of the control plane pass NODE_FLAGS and LAUNCH_ENV (read only at start)', () => {
    const flags = NODE_FLAGS.join(' ');
    const env = Object.entries(LAUNCH_ENV).map(([name, value]) => `${name}=${value}`);
    expect(read('operator/src/cli.ts').split('\n')[0]).toBe(`#!/usr/bin/env -S ${env.join(' ')} node ${flags}`);
    expect(read('Makefile')).toContain(`@${env.join(' ')} node ${flags} operator/dist/cli.js standalone`);
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toContain(`ENTRYPOINT ["/nodejs/bin/node", ${NODE_FLAGS.map((f) => JSON.stringify(f)).join(', ')}, "/app/operator/dist/cli.js"]`);
    for (const assignment of env) expect(dockerfile).toContain(`\nENV ${assignment}\n`);
    const harness = read('e2e/src/harness/gateway.ts');
    expect(harness).toContain('args: [...NODE_FLAGS, turnpikeCli');
    expect(harness).toContain('...LAUNCH_ENV');
  });
});
