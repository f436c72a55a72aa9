/** helm (from `make setup`) against the chart in charts/turnpike, and the manifests it renders. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { binary } from './bins';
import { chartDir } from './chart';

export interface HelmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// Helm's own state (repositories, cache) in a throwaway directory, never the user's.
const helmHome = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-helm-'));
process.once('exit', () => { fs.rmSync(helmHome, { recursive: true, force: true }); });

/** Runs helm; never throws for a non-zero exit (callers assert on it). */
export function helm(args: readonly string[]): Promise<HelmResult> {
  const env = {
    ...process.env,
    HELM_CACHE_HOME: path.join(helmHome, 'cache'),
    HELM_CONFIG_HOME: path.join(helmHome, 'config'),
    HELM_DATA_HOME: path.join(helmHome, 'data'),
  };
  return new Promise((resolve) => {
    execFile(binary('helm'), [...args], { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

export async function helmOk(args: readonly string[]): Promise<string> {
  const result = await helm(args);
  if (result.code !== 0) throw new Error(`helm ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

export interface ChartValues {
  /** Values files (-f), in order. */
  readonly files?: readonly string[];
  /** --set-json key=value pairs, applied after the files. */
  readonly set?: Readonly<Record<string, unknown>>;
}

/** helm's value arguments for `values`. */
export function valueArgs(values: ChartValues = {}): string[] {
  const files = (values.files ?? []).flatMap((file) => ['-f', file]);
  const set = Object.entries(values.set ?? {}).flatMap(([key, value]) => ['--set-json', `${key}=${JSON.stringify(value)}`]);
  return [...files, ...set];
}

/** `helm template` of the chart; throws with helm's message when rendering fails. */
export function renderChart(options: { release: string; namespace: string; values?: ChartValues; includeCrds?: boolean }): Promise<string> {
  return helmOk([
    'template', options.release, chartDir, '--namespace', options.namespace,
    ...(options.includeCrds === true ? ['--include-crds'] : []), ...valueArgs(options.values),
  ]);
}

/** A Kubernetes object as rendered (only what the specs read is typed). */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

/** The objects of a multi-document YAML stream (empty documents skipped). */
export function parseManifests(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`invalid YAML from helm: ${doc.errors[0]?.message ?? ''}`);
      return doc.toJSON() as K8sObject | null;
    })
    .filter((obj): obj is K8sObject => obj !== null && typeof obj === 'object');
}

/** The one object of `kind` whose name ends with `suffix` (throws otherwise). */
export function findObject(objects: readonly K8sObject[], kind: string, suffix: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && o.metadata.name.endsWith(suffix));
  const [one] = found;
  if (found.length !== 1 || one === undefined) {
    throw new Error(`expected one ${kind} named *${suffix}, found ${found.map((o) => o.metadata.name).join(', ') || 'none'}`);
  }
  return one;
}
