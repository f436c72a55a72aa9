/**
 * Standalone mode's provider: the same objects a cluster would hold, read from YAML/JSON files
 * (Secrets included). Watches the directory and delivers a new set after each change; a file that
 * does not parse is reported and the last good set keeps being served.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Logger } from '../log';
import { toResourceSet, type KubeObject, type Provider, type ResourceSet } from './resourceset';

const MANIFEST = /\.(ya?ml|json)$/i;

function listManifests(dir: string): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listManifests(full));
    else if (MANIFEST.test(entry.name)) files.push(full);
  }
  return files.sort();
}

function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false;
  const o = value as Record<string, unknown>;
  const meta = o.metadata as Record<string, unknown> | undefined;
  return typeof o.apiVersion === 'string' && typeof o.kind === 'string' && typeof meta?.name === 'string';
}

/** Parses every manifest in `dir`; throws with file and line on the first malformed document. */
export function readManifests(dir: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const file of listManifests(dir)) {
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
  }
  return objects;
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
  /** Coalesces editor save bursts. */
  readonly debounceMs?: number;
}

export function filesProvider(options: FilesProviderOptions): Provider {
  let watcher: fs.FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  const generations = new GenerationCounter();
  const load = (): ResourceSet => {
    const { set, ignored } = toResourceSet(generations.apply(readManifests(options.dir)), options.namespace ?? 'default');
    for (const object of ignored) {
      options.log.info('ignoring object of a kind Turnpike does not read', { kind: object.kind, name: object.metadata.name });
    }
    return set;
  };
  return {
    start: (onChange) => {
      onChange(load());
      watcher = fs.watch(options.dir, { recursive: true }, () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          try {
            onChange(load());
          } catch (err) {
            options.log.error('manifests not reloaded; still serving the last good set', { err });
          }
        }, options.debounceMs ?? 100);
      });
      return Promise.resolve();
    },
    stop: () => {
      clearTimeout(timer);
      watcher?.close();
      return Promise.resolve();
    },
  };
}
