/**
 * Standalone mode's provider: the same objects a cluster would hold, read from YAML/JSON files
 * (Secrets included). Watches every folder of the directory (folder-watch.ts: folder events, so a
 * file replaced by a rename, as `sed -i` and editors' safe writes do, is read again) and delivers
 * a new set after each change.
 *
 * What is read: every `*.yaml`, `*.yml` and `*.json` file under the directory, recursively. What
 * is never read: hidden files and folders (a name starting with `.`: `.git`, `.turnpike`, editor
 * swap files such as `.x.yaml.swp`), files of any other extension (`x.yaml~`, vim's `4913`), and
 * the excluded folders (standalone's state directory when it lies inside the directory).
 *
 * Incremental: after the first full read, only the files under the paths the watcher reported are
 * read again, and only the objects whose text changed reach the set (ManifestStore), so an edit
 * costs what it changed, as an informer event does in a cluster.
 *
 * A file that does not parse is reported and contributes its last good content (nothing when it
 * never parsed, e.g. at start); every other file is served as it is.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import type { Logger } from '../log';
import { ManifestStore } from './files-store';
import { watchFolders, type FolderWatch } from './folder-watch';
import type { KubeObject, ResourceSet } from '../resources/resourceset';
import type { Provider } from './provider';

const MANIFEST = /\.(ya?ml|json)$/i;
/** A path segment starting with a dot: hidden files and folders (and `..`). */
const HIDDEN = /(^|[\\/])\./;

/** Decides which paths under a manifests directory are never read. */
export function skipRule(dir: string, exclude: readonly string[] = []): (file: string, isDirectory?: boolean) => boolean {
  const root = path.resolve(dir);
  // Only folders inside `dir` (a state directory around it must not hide every manifest).
  const inside = `${root}${path.sep}`;
  const excluded = exclude.map((d) => path.resolve(d)).filter((d) => d.startsWith(inside));
  // Asked about every entry of every listing (500 at a start at 500 files): a path already under
  // the root takes no path arithmetic. A `..` in it counts as hidden.
  return (file, isDirectory) => {
    const full = file.startsWith(inside) ? file : path.resolve(file);
    if (full === root) return false;
    if (excluded.some((d) => full === d || full.startsWith(`${d}${path.sep}`))) return true;
    const relative = full.startsWith(inside) ? full.slice(inside.length) : path.relative(root, full);
    if (HIDDEN.test(relative)) return true;
    return isDirectory === false && !MANIFEST.test(full);
  };
}

function listManifests(dir: string, skip: (file: string, isDirectory?: boolean) => boolean): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (skip(full, entry.isDirectory())) continue;
    if (entry.isDirectory()) files.push(...listManifests(full, skip));
    else files.push(full);
  }
  return files.sort();
}

function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  const meta = o.metadata as Record<string, unknown> | undefined;
  return typeof o.apiVersion === 'string' && typeof o.kind === 'string' && typeof meta?.name === 'string';
}

/**
 * The objects of one manifest file; throws with the file (and line) of the first malformed document.
 * js-yaml with the YAML 1.2 core schema (timestamps stay strings, as in the API server's JSON): it
 * builds no document tree, unlike the `yaml` package, whose parsing was most of a cold start's
 * reading at 10,000 Apis.
 */
export function readManifestFile(file: string): KubeObject[] {
  const text = fs.readFileSync(file, 'utf8');
  let docs: unknown[];
  try {
    docs = loadAll(text, undefined, { schema: CORE_SCHEMA });
  } catch (err) {
    throw new Error(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const objects: KubeObject[] = [];
  for (const value of docs) {
    if (value === null || value === undefined) continue;
    if (!isKubeObject(value)) throw new Error(`${file}: a document lacks apiVersion, kind or metadata.name`);
    // Generation 1 unless the manifest says; the provider counts edits from there (files-store.ts).
    objects.push({ ...value, metadata: { generation: 1, ...value.metadata } });
  }
  return objects;
}

/** The manifest files under `dir` that the provider reads (see the file comment), sorted. */
export function manifestFiles(dir: string, exclude: readonly string[] = []): string[] {
  return listManifests(dir, skipRule(dir, exclude));
}

/** Parses every manifest in `dir`; throws with file and line on the first malformed document. */
export function readManifests(dir: string, exclude: readonly string[] = []): KubeObject[] {
  return manifestFiles(dir, exclude).flatMap(readManifestFile);
}

export interface FilesProviderOptions {
  readonly dir: string;
  readonly namespace?: string;
  readonly log: Logger;
  /** Folders never read (standalone's state directory). */
  readonly exclude?: readonly string[];
  /**
   * Quiet time after the last watcher event before the files are read (default 5 ms, as the
   * informers' in cluster mode): coalesces the events of one save (truncate and write, or a write
   * and a rename) without adding more than a few ms to an edit's latency. A read that still falls
   * between them is made good by the next event or the recheck (an empty read is put off, a file
   * that does not parse keeps its last good objects).
   */
  readonly debounceMs?: number;
}

/** The files provider, with the files that did not parse at the last load (file → message). */
export interface FilesProvider extends Provider {
  problems(): ReadonlyMap<string, string>;
}

/** After reading, the known files are looked at (stat) once more this much later: a write may follow a rename unreported. */
const RECHECK_MS = 250;

/** The manifest files a path the watcher reported stands for: those under it now and those it held. */
function filesAt(reported: string, known: () => readonly string[], skip: (file: string, isDirectory?: boolean) => boolean): string[] {
  const full = path.resolve(reported);
  let stats: fs.Stats | undefined;
  try {
    stats = fs.statSync(full);
  } catch {
    stats = undefined;
  }
  // A file (the usual edit): itself, with no look at the other files.
  if (stats?.isDirectory() === false) return skip(full, false) ? [] : [full];
  const inside = `${full}${path.sep}`;
  const held = known().filter((file) => file === full || file.startsWith(inside));
  if (stats === undefined) return held; // gone: every file it held is gone too
  return skip(full, true) ? held : [...held, ...listManifests(full, skip)];
}

/** A file's inode, size and modification time ('' when gone): a file whose stamp moved has changed. */
function stampOf(file: string): string {
  try {
    const stats = fs.statSync(file);
    // mtimeMs keeps sub-microsecond precision: two writes of one size in the same microsecond look the same.
    return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
  } catch {
    return ''; // gone, or its folder replaced by a file (ENOTDIR), or unreadable
  }
}

/** What the provider remembers between reads of a file besides its objects. */
interface ReadState {
  /** Files that do not parse, with the message last reported. */
  readonly problems: Map<string, string>;
  /** Files read empty once while they held objects: probably caught between truncate and write. */
  readonly emptied: Set<string>;
}

/**
 * Reads one file into the store; a file that does not parse keeps its last good content there and
 * is recorded in `problems` (reported once per message); a file gone is removed. A file that held
 * objects and reads empty is taken as empty only when it still is at the next read: false then,
 * and the caller reads it again.
 */
function readInto(store: ManifestStore, state: ReadState, file: string, log: Logger): boolean {
  const { problems, emptied } = state;
  let objects: KubeObject[];
  try {
    objects = readManifestFile(file);
  } catch (err) {
    emptied.delete(file);
    if (!fs.existsSync(file)) {
      store.remove(file);
      problems.delete(file);
      return true;
    }
    const message = err instanceof Error ? err.message : String(err);
    if (problems.get(file) !== message) {
      log.error(store.holds(file) ? 'manifest file not reloaded: it does not parse; still serving its last good content' : 'manifest file not loaded: it does not parse', { file, error: message });
    }
    problems.set(file, message);
    return true;
  }
  if (objects.length === 0 && store.holds(file) && !emptied.has(file)) {
    emptied.add(file);
    return false;
  }
  emptied.delete(file);
  if (problems.delete(file)) log.info('manifest file loaded again', { file });
  for (const object of store.put(file, objects)) {
    log.info('ignoring object of a kind Turnpike does not read', { kind: object.kind, name: object.metadata.name });
  }
  return true;
}

export function filesProvider(options: FilesProviderOptions): FilesProvider {
  // Absolute paths throughout: the watcher's and the listing's names of a file must be the same.
  const root = path.resolve(options.dir);
  const skip = skipRule(root, options.exclude ?? []);
  const store = new ManifestStore(options.namespace ?? 'default');
  const state: ReadState = { problems: new Map(), emptied: new Set() };
  const { problems } = state;
  /** What each file read was like when read (stampOf). */
  const stamps = new Map<string, string>();
  /** Paths the watcher reported since the last load (files or folders, changed, added or gone). */
  const dirty = new Set<string>();
  let watcher: FolderWatch | undefined;
  let timer: NodeJS.Timeout | undefined;
  let recheck: NodeJS.Timeout | undefined;

  /** Reads `files` (those of the reported paths after the first load) and returns the set. */
  const load = (files: readonly string[]): ResourceSet => {
    for (const file of files) {
      // Stamped before reading: a write in between moves the stamp, and the next load reads again.
      const stamp = stampOf(file);
      const taken = readInto(store, state, file, options.log);
      // Put off (read empty mid-write?): no stamp, so the recheck reads it again.
      if (stamp === '' || !taken) stamps.delete(file);
      else stamps.set(file, stamp);
    }
    const set = store.next();
    if (files.length > 0) options.log.debug('manifests read', { files: files.length, changed: store.changed });
    return set;
  };

  return {
    start: (onChange) => {
      let last: ResourceSet | undefined;
      /** Reads what the watcher reported; `all`: also every known file whose stamp moved. */
      const reload = (all: boolean): void => {
        try {
          let knownFiles: string[] | undefined;
          const known = (): string[] => (knownFiles ??= [...store.files(), ...problems.keys()]);
          const reported = [...dirty];
          dirty.clear();
          // For a moment after a rename over a file (sed -i, an editor's safe write) the watcher
          // reports no writes to it, so every known file whose inode, size or mtime moved is read
          // too: at the recheck once things are quiet (below), and at once when the watcher
          // reported anything but known files. A write to known files (the usual edit) stats no
          // other file: 500 files cost ~4 ms.
          const isKnown = (file: string): boolean => store.holds(file) || problems.has(file);
          const scan = all || reported.some((file) => !isKnown(path.resolve(file)));
          const moved = scan ? known().filter((file) => stamps.get(file) !== stampOf(file)) : [];
          const files = [...new Set([...moved, ...reported.flatMap((file) => filesAt(file, known, skip))])].sort();
          const set = load(files);
          clearTimeout(recheck);
          if (files.length > 0) recheck = setTimeout(() => { reload(true); }, RECHECK_MS);
          if (set === last) return; // nothing changed for the files read (e.g. a file saved unchanged)
          last = set;
          onChange(set);
        } catch (err) {
          options.log.error('manifests not reloaded; still serving the last good set', { err });
        }
      };
      watcher = watchFolders(root, {
        skipFolder: (folder) => skip(folder, true),
        onPath: (file) => {
          dirty.add(file);
          clearTimeout(timer);
          timer = setTimeout(() => { reload(false); }, options.debounceMs ?? 5);
        },
        onError: (err) => { options.log.error('watching the manifests failed', { err }); },
      });
      // Events before this point are covered by the full read; those after it by the next load.
      dirty.clear();
      last = load(listManifests(root, skip));
      onChange(last);
      return Promise.resolve();
    },
    problems: () => problems,
    stop: () => {
      clearTimeout(timer);
      clearTimeout(recheck);
      watcher?.close();
      return Promise.resolve();
    },
  };
}
