// The IR fixtures (testing/cases.ts) through the whole translator: deterministic, and accepted by
// the real Envoy (one `envoy --mode validate` for all). Their output is compared with a golden file
// only where no manifest can produce the IR: the goldens of what users write are the operator's
// (operator/testdata/cases, `npm run golden:update`).
import { dumpResources, translateIR, type EnvoyResources } from '.';
import { CASES } from './testing/cases';
import { envoyValidate, staticBootstrap } from './testing/envoy';
import { deleteGoldensExcept, expectGolden, goldenNames } from './testing/golden';

/** Gateways the operator never configures: no plain-HTTP listener (it always serves one). */
const IR_ONLY = ['https-only-gateway'];

const translated = new Map<string, EnvoyResources>(Object.entries(CASES).map(([name, ir]) => [name, translateIR(ir)]));

describe('golden translations', () => {
  it.each(IR_ONLY)('%s', (name) => {
    const resources = translated.get(name);
    expect(resources).toBeDefined();
    expectGolden(name, dumpResources(resources!));
  });

  it('has no golden file without an IR-only case', () => {
    if (process.env.UPDATE_GOLDEN === '1') deleteGoldensExcept(IR_ONLY);
    expect(goldenNames()).toEqual([...IR_ONLY].sort());
  });

  it('is deterministic: the same IR, shuffled, gives the same output', () => {
    for (const [name, ir] of Object.entries(CASES)) {
      const shuffled = {
        ...ir,
        clusters: [...ir.clusters].reverse(),
        groups: [...ir.groups].reverse().map((g) => ({ ...g, routes: [...g.routes].reverse(), domains: [...g.domains].reverse() })),
      };
      expect({ name, dump: dumpResources(translateIR(shuffled)) }).toEqual({ name, dump: dumpResources(translated.get(name)!) });
    }
  });
});

describe('real Envoy', () => {
  it('accepts every IR fixture', async () => {
    const output = await envoyValidate(staticBootstrap(translated));
    expect(output).toContain('OK');
  }, 60_000);
});
