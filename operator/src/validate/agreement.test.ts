// The two validation layers must agree (docs/architecture.md, validate). The API server side is proven
// by e2e/specs/admission against a real kube-apiserver, with the fixtures of e2e/fixtures/admission;
// this test holds the operator's layer to the same fixtures and to the CRDs themselves:
//
// 1. Rules, structurally: every x-kubernetes-validations rule of every CRD has exactly one mirror
//    in the kind's rule table (same schema location, same fieldPath, same message, same order),
//    and nothing else pretends to be a CEL rule. A rule added to, moved in or reworded in a CRD
//    fails here until its TypeScript counterpart exists.
// 2. Rules, behaviourally: for every rule message there is a fixture (the admission spec insists)
//    on which the operator reports that full message.
// 3. Fixtures: every malformed fixture is rejected by validateObject with an error containing the
//    fixture's `# expect:` text, the very substring the admission spec looks for in kubectl's
//    output. How the texts line up:
//    - CEL rules: kubectl prints `spec.path: Invalid value: "string": path must start with '/'`,
//      the operator `spec.path: path must start with '/'` (the API server's `Invalid value:
//      "<type>":` says nothing to a user). Expectations are substrings of the rule's message, so
//      they match both; the field path is the same (the rule's location plus its fieldPath).
//    - OpenAPI schema errors (required, enum, maxLength, maxItems, minimum, …) and list-type
//      duplicates: Ajv finds them, and issues.ts renders them in the API server's own words and
//      field paths (`spec.action: Unsupported value: "PERMIT": supported values: "ALLOW", "DENY"`,
//      `spec.description: Too long: may not be more than 255 bytes`), so the expectation, which
//      often includes the field path (`spec.backend: Required value`), matches verbatim.
//    - Unknown fields: reported alone, as strict decoding does (`unknown field "spec.uri"`).
//    Every expectation therefore matches the operator's output directly; no translation table.
// 4. Valid objects: every document of e2e/fixtures/admission/valid/, examples/ and the manifests
//    in docs/reference/ is accepted, and the documented defaults are applied.
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { TURNPIKE_KINDS, type TurnpikeKind } from '../resources/resourceset';
import { RULES, SPEC_REQUIRED, validateObject } from './index';
import { findCrdsDir, loadCrds } from './schema';
import { schemas } from './testing';
import { isRecord } from '../json';

const crdsDir = findCrdsDir();
const repoRoot = path.dirname(crdsDir);
const fixturesDir = path.join(repoRoot, 'e2e', 'fixtures', 'admission');

type Json = Record<string, unknown>;
const yamlFiles = (dir: string): string[] =>
  fs.readdirSync(dir).filter((file) => file.endsWith('.yaml')).sort().map((file) => path.join(dir, file));

/** The Turnpike objects of a (multi-document) YAML text; other kinds (Secrets) are not ours. */
function turnpikeObjects(text: string): { kind: TurnpikeKind; object: Json }[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as unknown)
    .filter(isRecord)
    .flatMap((object) => {
      const kind = TURNPIKE_KINDS.find((k) => k === object.kind);
      return kind !== undefined && object.apiVersion === 'turnpike.dev/v1alpha1' ? [{ kind, object }] : [];
    });
}

/** A malformed fixture, read as the admission spec reads it: one `# expect: <substring>` line. */
interface Fixture {
  readonly name: string;
  readonly expected: string;
  readonly objects: { kind: TurnpikeKind; object: Json }[];
}

function loadFixture(file: string): Fixture {
  const text = fs.readFileSync(file, 'utf8');
  const expectations = text.split('\n').filter((line) => line.startsWith('# expect: '));
  if (expectations.length !== 1) throw new Error(`${file}: needs exactly one "# expect: <message>" line`);
  const expected = (expectations[0] ?? '').slice('# expect: '.length).trim();
  return { name: path.basename(file, '.yaml'), expected, objects: turnpikeObjects(text) };
}

const fixtures = yamlFiles(fixturesDir).map(loadFixture);
const validDocuments = [
  ...yamlFiles(path.join(fixturesDir, 'valid')),
  ...yamlFiles(path.join(repoRoot, 'examples')),
].flatMap((file) => turnpikeObjects(fs.readFileSync(file, 'utf8')).map((o) => ({ name: `${path.relative(repoRoot, file)} ${String((o.object.metadata as Json | undefined)?.name)}`, ...o })));
/** The ```yaml blocks of docs/reference that are whole manifests, as the admission spec collects them. */
const docDocuments = fs
  .readdirSync(path.join(repoRoot, 'docs', 'reference'))
  .filter((file) => file.endsWith('.md'))
  .sort()
  .flatMap((file) =>
    [...fs.readFileSync(path.join(repoRoot, 'docs', 'reference', file), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((match) => match[1] ?? '')
      .filter((yaml) => yaml.startsWith('apiVersion:'))
      .flatMap((yaml) => turnpikeObjects(yaml).map((o) => ({ name: `docs/reference/${file}`, ...o }))),
  );

const errorsOf = (kind: TurnpikeKind, object: unknown): readonly string[] => {
  const result = validateObject(kind, object, schemas);
  return result.ok ? [] : result.errors;
};

/** A CEL rule as the CRD declares it: [location, fieldPath, message]. */
type RuleKey = readonly [string, string, string];

/** Every x-kubernetes-validations rule of a schema, in document order (the admission spec's walk). */
function crdRules(node: unknown, at: string, out: RuleKey[] = []): RuleKey[] {
  if (!isRecord(node)) return out;
  const rules = node['x-kubernetes-validations'];
  if (Array.isArray(rules)) {
    for (const rule of rules as unknown[]) {
      if (!isRecord(rule) || typeof rule.message !== 'string') throw new Error(`${at}: a rule without a message`);
      out.push([at, typeof rule.fieldPath === 'string' ? rule.fieldPath : '', rule.message]);
    }
  }
  if (isRecord(node.properties)) for (const [key, child] of Object.entries(node.properties)) crdRules(child, `${at}.${key}`, out);
  crdRules(node.items, `${at}[]`, out);
  crdRules(node.additionalProperties, `${at}{}`, out);
  return out;
}

const rootSchemas = new Map(
  loadCrds(crdsDir).map((crd) => {
    const version = crd.spec.versions.find((v) => v.name === 'v1alpha1');
    const schema: unknown = version?.schema.openAPIV3Schema;
    return [crd.spec.names.kind, schema] as const;
  }),
);
const cel = (kind: TurnpikeKind): RuleKey[] => crdRules(rootSchemas.get(kind), '').filter(([at]) => !at.startsWith('.status'));
const mirrored = (kind: TurnpikeKind): RuleKey[] =>
  RULES[kind].flatMap((rule) => (rule.source === 'cel' ? [[rule.at, rule.fieldPath, rule.message] as const] : []));

describe('the operator mirrors every CEL rule of the CRDs', () => {
  it.each(TURNPIKE_KINDS)('%s: one TypeScript rule per CRD rule, same place, fieldPath and message, same order', (kind) => {
    expect(mirrored(kind)).toEqual(cel(kind));
  });

  it('finds the CRDs’ rules (70 when this was written)', () => {
    const total = TURNPIKE_KINDS.reduce((sum, kind) => sum + cel(kind).length, 0);
    expect(total).toBeGreaterThanOrEqual(70);
  });

  it.each(TURNPIKE_KINDS)('%s: knows whether the CRD requires spec', (kind) => {
    const root = rootSchemas.get(kind);
    const required = isRecord(root) && Array.isArray(root.required) ? root.required : [];
    expect(SPEC_REQUIRED[kind]).toBe(required.includes('spec'));
  });

  const messages = [...new Set(TURNPIKE_KINDS.flatMap((kind) => cel(kind).map(([, , message]) => message)))];
  it.each(messages)('reports the whole message on a fixture: %s', (message) => {
    const covering = fixtures.filter((f) => message.includes(f.expected));
    expect(covering.map((f) => f.name)).not.toEqual([]);
    const reported = covering.filter((f) => f.objects.some(({ kind, object }) => errorsOf(kind, object).some((e) => e.endsWith(message))));
    expect(reported.map((f) => f.name)).not.toEqual([]);
  });
});

describe('the operator rejects what admission rejects', () => {
  it('reads the admission fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(50);
    for (const fixture of fixtures) expect([fixture.name, fixture.objects.length]).toEqual([fixture.name, 1]);
  });

  it.each(fixtures)('$name: $expected', ({ objects, expected }) => {
    const errors = objects.flatMap(({ kind, object }) => errorsOf(kind, object));
    expect(errors).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });
});

describe('the operator accepts what admission accepts', () => {
  it('finds the valid documents', () => {
    expect(validDocuments.length).toBeGreaterThanOrEqual(20);
    expect(docDocuments.length).toBeGreaterThanOrEqual(6);
  });

  it.each([...validDocuments, ...docDocuments])('$name', ({ kind, object }) => {
    expect(errorsOf(kind, object)).toEqual([]);
  });

  it('applies the documented defaults (as the admission spec checks on the API server)', () => {
    const hello = validDocuments.find((d) => d.kind === 'Api' && (d.object.metadata as Json | undefined)?.name === 'hello');
    const result = hello === undefined ? undefined : validateObject('Api', hello.object, schemas);
    expect(result).toMatchObject({
      ok: true,
      spec: {
        matchMode: 'Exact',
        protocol: 'BOTH',
        auth: { type: 'NONE', appCode: false },
        backend: { timeoutMs: 5000, retries: -1, mock: { status: 200 } },
      },
    });
  });
});

