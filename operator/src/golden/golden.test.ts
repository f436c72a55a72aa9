// Golden translations from manifests to Envoy: each operator/testdata/cases/<case>.in.yaml (and
// examples/) is translated by the operator and the xds-server; the result must equal
// <case>.out.yaml, and the real Envoy must accept every case's resources (one `envoy --mode
// validate` for all). `npm run golden:update` rewrites the outputs and deletes orphan ones.
import fs from 'node:fs';
import path from 'node:path';
import { defaultRegistry, RATELIMIT_CONFIG_TYPE, type EnvoyResources } from '@turnpike/xds-server';
import { envoyValidate, staticBootstrap } from '../../../xds-server/src/translate/testing/envoy';
import { schemaValidate } from '..';
import { CASES_DIR, loadCases, orphanOutputs, OUT, type GoldenCase } from './testing/cases';
import { crdFields, unusedFields } from './testing/coverage';
import { render, secretValues, type Rendered } from './testing/render';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const validate = schemaValidate();
const cases = loadCases();

/** A case whose IR the xds-server refuses (TranslateError) fails the suite: say which one. */
function renderCase(golden: GoldenCase): Rendered {
  try {
    return render(golden, validate);
  } catch (error) {
    throw new Error(`case ${golden.name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

const rendered = new Map<string, Rendered>(cases.map((c) => [c.name, renderCase(c)]));

describe('golden translations (operator/testdata/cases)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, golden) => {
    const { text } = rendered.get(name)!;
    for (const value of secretValues(golden.objects)) expect({ name, leaked: text.includes(value) }).toEqual({ name, leaked: false });
    const file = path.join(CASES_DIR, `${name}${OUT}`);
    if (UPDATE) fs.writeFileSync(file, text);
    else if (!fs.existsSync(file)) throw new Error(`no golden ${file}: run \`npm run golden:update\` and review it`);
    else expect(text).toBe(fs.readFileSync(file, 'utf8'));
  });

  it('has no output without an input', () => {
    if (UPDATE) for (const file of orphanOutputs()) fs.rmSync(path.join(CASES_DIR, file));
    expect(orphanOutputs()).toEqual([]);
  });

  it('is deterministic: the manifests in reverse order give the same output', () => {
    for (const golden of cases) {
      const again = render({ ...golden, objects: [...golden.objects].reverse() }, validate).text;
      expect({ name: golden.name, again }).toEqual({ name: golden.name, again: rendered.get(golden.name)!.text });
    }
  });
});

describe('coverage', () => {
  const objects = [...rendered.values()].flatMap((r) => r.accepted);
  it.each([...crdFields()])('some case sets every spec field of %s in a valid object', (kind, fields) => {
    expect(unusedFields(kind, fields, objects)).toEqual([]);
  });
});

describe('the rate-limit service', () => {
  it('decodes every rate-limit configuration as it was', () => {
    const registry = defaultRegistry();
    for (const [name, { rateLimit }] of rendered) {
      const decoded = rateLimit === undefined ? undefined : registry.decode(registry.encode(RATELIMIT_CONFIG_TYPE, rateLimit));
      expect({ name, decoded }).toEqual({ name, decoded: rateLimit });
    }
  });
});

describe('real Envoy', () => {
  it('accepts every case', async () => {
    const all = new Map<string, EnvoyResources>([...rendered].map(([name, { resources }]) => [name, resources]));
    expect(await envoyValidate(staticBootstrap(all))).toContain('OK');
  }, 120_000);
});
