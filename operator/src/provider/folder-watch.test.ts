import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { watchFolders, type FolderWatch } from './folder-watch';

describe('watchFolders', () => {
  let root: string;
  let watch: FolderWatch | undefined;
  let reported: string[];
  let waiting: { readonly file: string; readonly resolve: () => void } | undefined;
  let errors: unknown[];

  /** Does `change` and resolves once `file` has been reported since. */
  const reportOf = (file: string, change: () => void): Promise<void> => new Promise((resolve) => {
    waiting = { file, resolve };
    change();
  });
  const at = (...parts: string[]): string => path.join(root, ...parts);

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-watch-'));
    reported = [];
    errors = [];
    fs.mkdirSync(at('old', 'deep'), { recursive: true });
    fs.mkdirSync(at('.git'));
    watch = watchFolders(root, {
      skipFolder: (folder) => path.basename(folder).startsWith('.'),
      onPath: (file) => {
        reported.push(file);
        if (waiting?.file === file) waiting.resolve();
      },
      onError: (err) => errors.push(err),
    });
  });
  afterEach(() => {
    watch?.close();
    fs.rmSync(root, { recursive: true, force: true });
    expect(errors).toEqual([]);
  });

  it('reports files written in the folders that existed at start, at any depth, and not in skipped ones', async () => {
    fs.writeFileSync(at('.git', 'x.yaml'), 'x');
    await reportOf(at('old', 'deep', 'a.yaml'), () => { fs.writeFileSync(at('old', 'deep', 'a.yaml'), 'a'); });
    await reportOf(at('b.yaml'), () => { fs.writeFileSync(at('b.yaml'), 'b'); });
    expect(reported.filter((file) => file.includes('.git'))).toEqual([]);
  });

  it('watches folders created later, and a folder deleted and created again', async () => {
    // A folder's files written before its watch begins are the caller's to list: it is reported.
    await reportOf(at('new'), () => { fs.mkdirSync(at('new', 'inner'), { recursive: true }); });
    await reportOf(at('new', 'inner', 'c.yaml'), () => { fs.writeFileSync(at('new', 'inner', 'c.yaml'), 'c'); });

    await reportOf(at('old'), () => { fs.rmSync(at('old'), { recursive: true }); });
    await reportOf(at('old'), () => { fs.mkdirSync(at('old')); });
    await reportOf(at('old', 'd.yaml'), () => { fs.writeFileSync(at('old', 'd.yaml'), 'd'); });
  });

  it('follows a folder renamed: its files are reported under the new name', async () => {
    await reportOf(at('renamed'), () => { fs.renameSync(at('old'), at('renamed')); });
    await reportOf(at('renamed', 'deep', 'e.yaml'), () => { fs.writeFileSync(at('renamed', 'deep', 'e.yaml'), 'e'); });
    expect(reported.filter((file) => file.startsWith(`${at('old')}${path.sep}`))).toEqual([]);
  });
});
