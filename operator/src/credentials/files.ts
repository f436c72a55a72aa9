/**
 * Standalone mode's generated credentials: kept as files in the state directory
 * (`<state-dir>/credentials/<namespace>/<secret>.json`, mode 0600), created on first need and read
 * back on every reload, so an App keeps its AppKey/AppSecret across restarts. They join the
 * ResourceSet as Secrets, exactly as the Secrets a cluster's credentials controller creates. A
 * Secret written in the manifests always wins; the operator never edits manifest files.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log';
import { objectKey, type KubeObject, type ResourceSet } from '../resources/resourceset';
import { planGeneratedSecrets, type CredentialGenerator } from './plan';

function readValues(file: string, text = fs.readFileSync(file, 'utf8')): Record<string, string> {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${file}: not a JSON object`);
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export class StateDirCredentials {
  /** Each generated Secret with the text it was read from: unchanged, it keeps its identity. */
  readonly #read = new Map<string, { readonly text: string; readonly secret: KubeObject }>();
  /** The last input's kinds that decide the output, and the Secrets it gave. */
  #last: { readonly from: readonly unknown[]; readonly secrets: ReadonlyMap<string, KubeObject> } | undefined;

  constructor(
    private readonly dir: string,
    private readonly generate: CredentialGenerator,
    private readonly log: Logger,
  ) {}

  #file(namespace: string, name: string): string {
    return path.join(this.dir, namespace, `${name}.json`);
  }

  #load(set: ResourceSet): Map<string, KubeObject> {
    const secrets = new Map(set.Secret);
    if (!fs.existsSync(this.dir)) return secrets;
    for (const namespace of fs.readdirSync(this.dir)) {
      for (const entry of fs.readdirSync(path.join(this.dir, namespace))) {
        if (!entry.endsWith('.json')) continue;
        const name = entry.slice(0, -'.json'.length);
        if (secrets.has(objectKey(namespace, name))) continue;
        const file = path.join(this.dir, namespace, entry);
        const text = fs.readFileSync(file, 'utf8');
        let known = this.#read.get(file);
        if (known?.text !== text) {
          known = { text, secret: { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', stringData: readValues(file, text) } };
          this.#read.set(file, known);
        }
        secrets.set(objectKey(namespace, name), known.secret);
      }
    }
    return secrets;
  }

  /**
   * `set` plus the generated Secrets (generating and saving the missing ones first). While no
   * App, SignatureKey or Secret changed there is nothing to generate: the last Secrets are reused
   * (an edit of an Api costs nothing here).
   */
  apply(set: ResourceSet): ResourceSet {
    const from = [set.App, set.SignatureKey, set.Secret];
    const last = this.#last;
    if (last !== undefined && from.every((map, i) => map === last.from[i])) return { ...set, Secret: last.secrets };
    const withFiles: ResourceSet = { ...set, Secret: this.#load(set) };
    for (const plan of planGeneratedSecrets(withFiles, this.generate)) {
      const file = this.#file(plan.namespace, plan.name);
      const fromManifests = set.Secret.has(objectKey(plan.namespace, plan.name));
      if (fromManifests) continue; // The user's Secret is incomplete: the App reports which key is missing.
      const current = fs.existsSync(file) ? readValues(file) : {};
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, JSON.stringify({ ...current, ...plan.values }, null, 2), { mode: 0o600 });
      this.log.info('generated credentials', { object: `Secret/${plan.namespace}/${plan.name}`, owner: `${plan.owner.kind}/${plan.owner.name}`, keys: Object.keys(plan.values), file });
    }
    const secrets = this.#load(set);
    this.#last = { from, secrets };
    return { ...set, Secret: secrets };
  }
}
