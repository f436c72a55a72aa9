/**
 * Watches a folder tree with one `fs.watch` per folder and reports the path each event names: a
 * file written, created, renamed or deleted in a watched folder, or a folder. It never lists a
 * folder again on an event (chokidar, used before, lists the folder and lstats every entry on each
 * event in it: ~14 ms of CPU per edit at 500 files, most of standalone's cost per edit), so an
 * event costs one lstat. Reading what changed is the caller's part (files.ts); folders created
 * later are watched from their first event on, and the caller lists them when it reads.
 *
 * Symbolic links to folders are not followed, as the manifest listing does not follow them.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface FolderWatchOptions {
  /** Folders never watched (hidden ones, standalone's state directory). */
  readonly skipFolder: (folder: string) => boolean;
  /** A path an event named (files and folders alike, skipped or not, gone or not). */
  readonly onPath: (file: string) => void;
  readonly onError: (err: unknown) => void;
}

export interface FolderWatch {
  close(): void;
}

const isUnder = (file: string, folder: string): boolean => file === folder || file.startsWith(`${folder}${path.sep}`);

/** A folder that vanished between an event and the look at it is not an error. */
const gone = (err: unknown): boolean => err instanceof Error && 'code' in err && (err.code === 'ENOENT' || err.code === 'ENOTDIR');

export function watchFolders(root: string, options: FolderWatchOptions): FolderWatch {
  const watchers = new Map<string, fs.FSWatcher>();

  const forget = (folder: string): void => {
    for (const [watched, watcher] of watchers) {
      if (!isUnder(watched, folder)) continue;
      watcher.close();
      watchers.delete(watched);
    }
  };

  const onEvent = (folder: string, name: string | Buffer | null): void => {
    // No name (platforms may omit it): the folder itself stands for what changed in it.
    const full = name === null ? folder : path.join(folder, name.toString());
    if (full !== folder) {
      let isFolder = false;
      try {
        isFolder = fs.lstatSync(full).isDirectory();
      } catch {
        // gone: forgotten below
      }
      if (isFolder) add(full);
      else forget(full);
    }
    options.onPath(full);
  };

  function add(folder: string): void {
    if (watchers.has(folder) || options.skipFolder(folder)) return;
    let entries: fs.Dirent[];
    try {
      const watcher = fs.watch(folder, { persistent: false }, (_event, name) => { onEvent(folder, name); });
      watcher.on('error', (err) => {
        forget(folder);
        if (!gone(err)) options.onError(err);
      });
      watchers.set(folder, watcher);
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch (err) {
      forget(folder);
      if (!gone(err)) options.onError(err);
      return;
    }
    for (const entry of entries) if (entry.isDirectory()) add(path.join(folder, entry.name));
  }

  add(root);
  return { close: () => { forget(root); } };
}
