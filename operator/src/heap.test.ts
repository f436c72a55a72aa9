import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HEAP_GROWING_PERCENT, heapFlags, NODE_FLAGS } from './heap';

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

  it('has every launcher of the control plane pass NODE_FLAGS (V8 reads them only at start)', () => {
    const flags = NODE_FLAGS.join(' ');
    expect(read('operator/src/cli.ts').split('\n')[0]).toBe(`#!/usr/bin/env -S node ${flags}`);
    expect(read('Makefile')).toContain(`@node ${flags} operator/dist/cli.js standalone`);
    expect(read('Dockerfile')).toContain(`ENTRYPOINT ["/nodejs/bin/node", ${NODE_FLAGS.map((f) => JSON.stringify(f)).join(', ')}, "/app/operator/dist/cli.js"]`);
    expect(read('e2e/src/harness/gateway.ts')).toContain('args: [...NODE_FLAGS, turnpikeCli');
  });
});
