import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../log';
import { filesProvider, manifestFiles, skipRule } from './files';
import type { ResourceSet } from '../resources/resourceset';

const api = (name: string): string => `apiVersion: turnpike.dev/v1alpha1\nkind: Api\nmetadata: {name: ${name}}\nspec: {}\n`;

describe('the files provider', () => {
  let dir: string;
  const write = (name: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  };
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-files-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('reads YAML and JSON manifests, never hidden paths, other extensions or the state directory', () => {
    for (const name of ['a.yaml', 'b.yml', 'c.JSON', 'sub/d.yaml', 'state/keep.yaml']) write(name, api('x'));
    for (const name of ['.a.yaml.swp', '.#a.yaml', 'a.yaml~', '#a.yaml#', '4913', 'README.md', '.git/e.yaml', '.turnpike/standalone/envoy-bootstrap.json', 'state/sub/f.yaml', 'sub/.hidden/g.yaml']) {
      write(name, api('x'));
    }
    const read = manifestFiles(dir, [path.join(dir, 'state/sub')]).map((f) => path.relative(dir, f));
    expect(read).toEqual(['a.yaml', 'b.yml', 'c.JSON', 'state/keep.yaml', 'sub/d.yaml']);
  });

  it('reads everything under a hidden -f folder itself, and ignores a state directory outside it', () => {
    const hidden = path.join(dir, '.manifests');
    fs.mkdirSync(hidden);
    fs.writeFileSync(path.join(hidden, 'a.yaml'), api('a'));
    expect(manifestFiles(hidden, [dir, '/elsewhere'])).toEqual([path.join(hidden, 'a.yaml')]);
    const skip = skipRule(hidden);
    expect([skip(hidden, true), skip(path.join(hidden, 'x.txt'), false), skip(path.join(hidden, 'x.txt')), skip(path.join(hidden, 'x'), true)]).toEqual([false, true, false, false]);
    // Hidden entries below the root, and paths outside it, relative or not, are skipped.
    expect([skip(path.join(hidden, '.git'), true), skip(path.join(hidden, 'sub', '.a.yaml'), false), skip(path.join(dir, 'a.yaml'), false), skip('relative.yaml', false)]).toEqual([true, true, true, true]);
  });

  it('serves the files that parse; a broken one at start contributes nothing and is reported', async () => {
    write('a.yaml', api('a'));
    write('b.yaml', `${api('b')}  : : [`);
    const lines: string[] = [];
    const provider = filesProvider({ dir, log: createLogger({ write: (line) => lines.push(line) }), debounceMs: 10_000 });
    const sets: ResourceSet[] = [];
    await provider.start((set) => sets.push(set));
    try {
      expect([...(sets[0]?.Api.keys() ?? [])]).toEqual(['default/a']);
      expect([...provider.problems().keys()]).toEqual([path.join(dir, 'b.yaml')]);
      // The file, and the line and column of the fault.
      expect(provider.problems().get(path.join(dir, 'b.yaml'))?.split('\n')[0]).toMatch(new RegExp(`^${path.join(dir, 'b.yaml')}: .* \\(5:\\d+\\)$`));
      expect(lines.some((l) => l.includes('manifest file not loaded'))).toBe(true);
    } finally {
      await provider.stop();
    }
  });

  it('takes a file that held objects and reads empty as empty only when it still is at the next look (a write caught between truncate and content)', async () => {
    write('a.yaml', api('a'));
    write('b.yaml', api('b'));
    const lines: string[] = [];
    const provider = filesProvider({ dir, log: createLogger({ level: 'debug', write: (line) => lines.push(line) }), debounceMs: 5 });
    // The first set without default/a, when the provider hands it on.
    let taken: (set: { at: number; apis: string[] }) => void = () => undefined;
    const gone = new Promise<{ at: number; apis: string[] }>((resolve) => { taken = resolve; });
    await provider.start((set) => {
      const apis = [...set.Api.keys()];
      if (!apis.includes('default/a')) taken({ at: Date.now(), apis });
    });
    try {
      const reads = (): number => lines.filter((l) => l.includes('"msg":"manifests read"')).length;
      const before = reads();
      const emptiedAt = Date.now();
      write('a.yaml', '');
      const set = await gone;
      // Read once and put off, then taken as empty at the look 250 ms later; b never moved.
      expect(reads()).toBeGreaterThanOrEqual(before + 2);
      expect(set.apis).toEqual(['default/b']);
      expect(set.at - emptiedAt).toBeGreaterThanOrEqual(200);
    } finally {
      await provider.stop();
    }
  });
});
