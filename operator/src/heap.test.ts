import { execFileSync } from 'node:child_process';
import { HEAP_GROWING_PERCENT, heapFlags } from './heap';

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
  });
});
