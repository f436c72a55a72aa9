// Admission: the CRD schemas and CEL rules, checked against a real kube-apiserver. Every malformed
// fixture must be rejected with the message it names; every example and valid edge case accepted.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { isRecord } from '../../../operator/src/json';
import { kubectl, repoRoot, startTestCluster, type TestCluster } from '../../src/harness';

interface Fixture {
  readonly name: string;
  readonly file: string;
  readonly expected: string;
}

const fixturesDir = path.join(repoRoot, 'e2e', 'fixtures', 'admission');
const yamlFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => path.join(dir, file));

/** Each fixture names the error it must produce in one `# expect: <substring>` line. */
function loadFixture(file: string): Fixture {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const expectations = lines.filter((line) => line.startsWith('# expect: '));
  if (expectations.length !== 1) throw new Error(`${file}: needs exactly one "# expect: <message>" line`);
  const expected = expectations[0]!.slice('# expect: '.length).trim();
  return { name: path.basename(file, '.yaml'), file, expected };
}

const fixtures = yamlFiles(fixturesDir).map(loadFixture);
const validFiles = yamlFiles(path.join(fixturesDir, 'valid'));
const exampleFiles = yamlFiles(path.join(repoRoot, 'examples'));
const crdFiles = yamlFiles(path.join(repoRoot, 'crds'));

/** The ```yaml blocks of docs/reference that are whole manifests (they start with apiVersion). */
const docManifests = ((): { readonly name: string; readonly yaml: string }[] => {
  const dir = path.join(repoRoot, 'docs', 'reference');
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .flatMap((file) =>
      [...fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
        .map((match, index) => ({ name: `${file} block ${index + 1}`, yaml: match[1] ?? '' }))
        .filter((block) => block.yaml.startsWith('apiVersion:')),
    );
})();

type Json = Record<string, unknown>;

/** Visits every schema node of a CRD's openAPIV3Schema with its JSON path. */
function walkSchema(node: unknown, at: string, visit: (schema: Json, at: string) => void): void {
  if (!isRecord(node)) return;
  visit(node, at);
  const properties = node.properties;
  if (isRecord(properties)) {
    for (const [key, child] of Object.entries(properties)) walkSchema(child, `${at}.${key}`, visit);
  }
  walkSchema(node.items, `${at}[]`, visit);
  walkSchema(node.additionalProperties, `${at}{}`, visit);
}

function crdSchema(file: string): Json {
  const crd: unknown = parse(fs.readFileSync(file, 'utf8'));
  if (!isRecord(crd) || !isRecord(crd.spec) || !Array.isArray(crd.spec.versions)) throw new Error(`${file}: not a CRD`);
  const version: unknown = crd.spec.versions[0];
  if (!isRecord(version) || !isRecord(version.schema) || !isRecord(version.schema.openAPIV3Schema)) {
    throw new Error(`${file}: no openAPIV3Schema`);
  }
  return version.schema.openAPIV3Schema;
}

/** The message of every x-kubernetes-validations rule in a CRD. */
function ruleMessages(file: string): string[] {
  const messages: string[] = [];
  walkSchema(crdSchema(file), '', (schema) => {
    const rules = schema['x-kubernetes-validations'];
    if (!Array.isArray(rules)) return;
    for (const rule of rules as unknown[]) {
      messages.push(isRecord(rule) && typeof rule.message === 'string' ? rule.message : '');
    }
  });
  return messages;
}

describe('CRD files (static)', () => {
  it.each(crdFiles.map((file) => path.basename(file)))('%s describes every field', (file) => {
    const undocumented: string[] = [];
    walkSchema(crdSchema(path.join(repoRoot, 'crds', file)), '', (schema, at) => {
      // The API server forbids anything but type on metadata.
      if (at !== '.metadata' && typeof schema.description !== 'string') undocumented.push(at || '(root)');
    });
    expect(undocumented).toEqual([]);
  });

  it.each(crdFiles.map((file) => path.basename(file)))('%s gives every CEL rule a message a fixture checks', (file) => {
    const messages = ruleMessages(path.join(repoRoot, 'crds', file));
    expect(messages).not.toContain('');
    const untested = messages.filter((message) => !fixtures.some((f) => message.includes(f.expected)));
    expect(untested).toEqual([]);
  });

  it('has at least 50 malformed fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(50);
  });
});

describe('admission against a real kube-apiserver', () => {
  let cluster: TestCluster | undefined;
  const kubeconfig = (): string => {
    if (cluster === undefined) throw new Error('the control plane did not start');
    return cluster.kubeconfigPath;
  };
  // One namespace per group of objects, so accepted objects never collide with each other.
  const namespaces = new Map<string, string>();
  const namespace = (purpose: string): string => {
    const ns = namespaces.get(purpose);
    if (ns === undefined) throw new Error(`namespace ${purpose} was not created`);
    return ns;
  };

  beforeAll(async () => {
    cluster = await startTestCluster();
    for (const purpose of ['admission', 'examples', 'valid', 'docs']) {
      namespaces.set(purpose, await cluster.namespace(purpose));
    }
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it.each(fixtures)('rejects $name', async ({ file, expected }) => {
    const result = await kubectl(kubeconfig(), ['create', '--namespace', namespace('admission'), '-f', file]);
    expect(result.stdout).toBe('');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(expected);
  });

  it.each(exampleFiles.map((file) => path.basename(file)))('accepts examples/%s', async (file) => {
    const args = ['apply', '--server-side', '--namespace', namespace('examples'), '-f', path.join(repoRoot, 'examples', file)];
    const result = await kubectl(kubeconfig(), args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it.each(validFiles.map((file) => path.basename(file)))('accepts valid edge cases in %s', async (file) => {
    const args = ['create', '--namespace', namespace('valid'), '-f', path.join(fixturesDir, 'valid', file)];
    const result = await kubectl(kubeconfig(), args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it.each(docManifests)('accepts the example in $name', async ({ yaml }) => {
    const result = await kubectl(kubeconfig(), ['create', '--namespace', namespace('docs'), '-f', '-'], yaml);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('applies the documented defaults', async () => {
    const result = await kubectl(kubeconfig(), ['get', 'apis.turnpike.dev', 'hello', '--namespace', namespace('examples'), '-o', 'json']);
    expect(result.code).toBe(0);
    const api: unknown = JSON.parse(result.stdout);
    expect(api).toMatchObject({
      spec: {
        matchMode: 'Exact',
        protocol: 'BOTH',
        auth: { type: 'NONE', appCode: false },
        backend: { timeoutMs: 5000, retries: -1, mock: { status: 200 } },
      },
    });
  });
});
