/**
 * Standalone mode's provider: the same objects a cluster would hold, read from YAML/JSON files
 * (Secrets included). Watches the directory (chokidar: directory events, so a file replaced by a
 * rename, as `sed -i` and editors' safe writes do, is read again) and delivers a new set after
 * each change.
 *
 * What is read: every `*.yaml`, `*.yml` and `*.json` file under the directory, recursively. What
 * is never read: hidden files and folders (a name starting with `.`: `.git`, `.turnpike`, editor
 * swap files such as `.x.yaml.swp`), files of any other extension (`x.yaml~`, vim's `4913`), and
 * the excluded folders (standalone's state directory when it lies inside the directory).
 *
 * A file that does not parse is reported and contributes its last good content (nothing when it
 * never parsed, e.g. at start); every other file is served as it is.
 */
import fs from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { parseAllDocuments } from 'yaml';
import type { Logger } from '../log';
import { toResourceSet, type KubeObject, type Provider, type ResourceSet } from './resourceset';

const MANIFEST = /\.(ya?ml|json)$/i;

/** Decides which paths under a manifests directory are never read. */
export function skipRule(dir: string, exclude: readonly string[] = []): (file: string, isDirectory?: boolean) => boolean {
  const root = path.resolve(dir);
  // Only folders inside `dir` (a state directory around it must not hide every manifest).
  const excluded = exclude.map((d) => path.resolve(d)).filter((d) => d.startsWith(`${root}${path.sep}`));
  return (file, isDirectory) => {
    const full = path.resolve(file);
    if (full === root) return false;
    if (excluded.some((d) => full === d || full.startsWith(`${d}${path.sep}`))) return true;
    if (path.relative(root, full).split(path.sep).some((part) => part.startsWith('.'))) return true;
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

/** The objects of one manifest file; throws with the file (and line) of the first malformed document. */
export function readManifestFile(file: string): KubeObject[] {
  const objects: KubeObject[] = [];
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error !== undefined) throw new Error(`${file}: ${error.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isKubeObject(value)) throw new Error(`${file}: a document lacks apiVersion, kind or metadata.name`);
    // Generation 1 unless the manifest says; filesProvider counts edits from there.
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

/**
 * Files have no generation counter: this one plays the API server's part. An object keeps its
 * generation while its content (all but metadata and status) is unchanged and gets the next one
 * when it changes; an object gone from the files is forgotten (re-added, it starts again from
 * its manifest's generation, 1 unless given).
 */
export class GenerationCounter {
  #known = new Map<string, { readonly content: string; readonly generation: number }>();

  apply(objects: readonly KubeObject[]): KubeObject[] {
    const next = new Map<string, { readonly content: string; readonly generation: number }>();
    const out = objects.map((object) => {
      const key = `${object.apiVersion}/${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      const { metadata } = object;
      const content = JSON.stringify(Object.entries(object).filter(([field]) => field !== 'metadata' && field !== 'status'));
      const before = this.#known.get(key);
      const generation = before === undefined ? metadata.generation ?? 1 : before.content === content ? before.generation : before.generation + 1;
      next.set(key, { content, generation });
      return metadata.generation === generation ? object : { ...object, metadata: { ...metadata, generation } };
    });
    this.#known = next;
    return out;
  }
}

export interface FilesProviderOptions {
  readonly dir: string;
  readonly namespace?: string;
  readonly log: Logger;
  /** Folders never read (standalone's state directory). */
  readonly exclude?: readonly string[];
  /** Coalesces editor save bursts. */
  readonly debounceMs?: number;
}

/** The files provider, with the files that did not parse at the last load (file → message). */
export interface FilesProvider extends Provider {
  problems(): ReadonlyMap<string, string>;
}

export function filesProvider(options: FilesProviderOptions): FilesProvider {
  const exclude = options.exclude ?? [];
  const skip = skipRule(options.dir, exclude);
  const lastGood = new Map<string, KubeObject[]>();
  let problems = new Map<string, string>();
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  const generations = new GenerationCounter();
  const load = (): ResourceSet => {
    const files = listManifests(options.dir, skip);
    const now = new Map<string, string>();
    const objects = files.flatMap((file) => {
      try {
        const read = readManifestFile(file);
        lastGood.set(file, read);
        return read;
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        now.set(file, message);
        const kept = lastGood.get(file);
        if (problems.get(file) !== message) {
          options.log.error(kept === undefined ? 'manifest file not loaded: it does not parse' : 'manifest file not reloaded: it does not parse; still serving its last good content', { file, error: message });
        }
        return kept ?? [];
      }
    });
    for (const file of lastGood.keys()) if (!files.includes(file)) lastGood.delete(file);
    for (const file of problems.keys()) if (!now.has(file) && files.includes(file)) options.log.info('manifest file loaded again', { file });
    problems = now;
    const { set, ignored } = toResourceSet(generations.apply(objects), options.namespace ?? 'default');
    for (const object of ignored) {
      options.log.info('ignoring object of a kind Turnpike does not read', { kind: object.kind, name: object.metadata.name });
    }
    return set;
  };
  return {
    start: async (onChange) => {
      const reload = (): void => {
        try {
          onChange(load());
        } catch (err) {
          options.log.error('manifests not reloaded; still serving the last good set', { err });
        }
      };
      watcher = watch(options.dir, {
        ignoreInitial: true,
        ignored: (file, stats) => skip(file, stats === undefined ? undefined : stats.isDirectory()),
      });
      watcher.on('all', () => {
        clearTimeout(timer);
        timer = setTimeout(reload, options.debounceMs ?? 100);
      });
      watcher.on('error', (err) => { options.log.error('watching the manifests failed', { err }); });
      await new Promise<void>((resolve) => watcher?.once('ready', resolve));
      onChange(load());
    },
    problems: () => problems,
    stop: async () => {
      clearTimeout(timer);
      await watcher?.close();
    },
  };
}
