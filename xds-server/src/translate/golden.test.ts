// Golden tests of the whole translator, then the authoritative check: the real Envoy accepts every
// translation (one `envoy --mode validate` for all cases).
import { dumpResources, translateIR, type EnvoyResources } from '.';
import { CASES } from './testing/cases';
import { envoyValidate, staticBootstrap } from './testing/envoy';
import { expectGolden, goldenNames } from './testing/golden';

const translated = new Map<string, EnvoyResources>(Object.entries(CASES).map(([name, ir]) => [name, translateIR(ir)]));

describe('golden translations', () => {
  it.each(Object.keys(CASES))('%s', (name) => {
    const resources = translated.get(name);
    expect(resources).toBeDefined();
    expectGolden(name, dumpResources(resources!));
  });

  it('has no golden file without a case', () => {
    if (process.env.UPDATE_GOLDEN === '1') return;
    expect(goldenNames()).toEqual(Object.keys(CASES).sort());
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
  it('accepts every golden translation', async () => {
    const output = await envoyValidate(staticBootstrap(translated));
    expect(output).toContain('OK');
  }, 60_000);
});
