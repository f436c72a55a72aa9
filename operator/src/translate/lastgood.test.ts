// The last valid version of an object keeps being served while its current spec is invalid.
import type { GatewayConfig } from '../config';
import { buildResourceSet } from '../provider/informers-set';
import type { Kind, KubeObject, ResourceSet } from '../resources/resourceset';
import { testGateway, validate } from './testing';
import { Translator, translateResourceSet, type Translation } from '.';

const config: GatewayConfig = { ...testGateway, rateLimit: { host: 'ratelimit', port: 8081 } };
const T = 'turnpike.dev/v1alpha1';
const meta = (name: string, generation: number, uid?: string): KubeObject['metadata'] => ({
  name, namespace: 'team', creationTimestamp: '2026-01-01T00:00:00Z', generation, ...(uid === undefined ? {} : { uid }),
});
const group = (name: string): KubeObject => ({ apiVersion: T, kind: 'ApiGroup', metadata: meta(name, 1), spec: {} });
const api = (name: string, body: string, generation: number, uid?: string): KubeObject => ({
  apiVersion: T, kind: 'Api', metadata: meta(name, generation, uid),
  spec: { groupRef: { name: 'g' }, method: 'GET', path: `/${name}`, backend: { mock: { body } } },
});
/** Passes YAML and structure, fails the schema (method enum). */
const badApi = (name: string, generation: number, uid?: string): KubeObject => {
  const object = api(name, 'x', generation, uid);
  return { ...object, spec: { ...(object.spec as object), method: 'FETCH' } };
};
const app = (name: string, generation: number, quota: unknown): KubeObject => ({
  apiVersion: T, kind: 'App', metadata: meta(name, generation), spec: { credentialsSecretRef: { name: 'creds' }, quota },
});
const creds: KubeObject = {
  apiVersion: 'v1', kind: 'Secret', metadata: meta('creds', 1),
  stringData: { appKey: '071fe245-9cf6-4d75-822d-c29945a1e06a', appSecret: 'c6e52419-2270-4cb8-8bd4-ae7fdd01dcd5' },
};

function setOf(objects: readonly KubeObject[]): ResourceSet {
  const byKind = new Map<Kind, KubeObject[]>();
  for (const object of objects) byKind.set(object.kind as Kind, [...(byKind.get(object.kind as Kind) ?? []), object]);
  return buildResourceSet(byKind);
}

const bodies = (t: Translation): string[] => t.ir.groups.flatMap((g) => g.routes.map((r) => `${r.source.name}:${JSON.stringify(r.backend)}`));
const routeOf = (t: Translation, name: string): unknown => t.ir.groups.flatMap((g) => g.routes).find((r) => r.source.name === name);
const INVALID = 'spec.method: must be one of GET, POST, PUT, DELETE, HEAD, PATCH, OPTIONS, ANY';

describe('Translator: the last valid version', () => {
  it('keeps serving a served Api edited to an invalid spec, reporting the current generation as not accepted', () => {
    const translator = new Translator(config, validate);
    const g = group('g');
    const b = api('b', 'b', 1);
    const first = translator.translate(setOf([g, api('a', 'old', 3), b]));
    const served = routeOf(first, 'a');
    expect(served).toBeDefined();

    const broken = translator.translate(setOf([g, badApi('a', 4), b]));
    expect(routeOf(broken, 'a')).toBe(served); // the same route object: its steps were reused
    expect(broken.ir.groups[0]).toBe(first.ir.groups[0]);
    const status = broken.statuses.get('Api/team/a');
    expect(status).toMatchObject({ generation: 4, servedGeneration: 3, inIR: true });
    expect(status?.accepted).toEqual({ status: 'False', reason: 'Invalid', message: `${INVALID}; still serving generation 3` });
    expect(broken.statuses.get('Api/team/b')).toBe(first.statuses.get('Api/team/b'));
    // A full translation (nothing remembered) does not serve it.
    expect(routeOf(translateResourceSet(setOf([group('g'), badApi('a', 4)]), config, validate), 'a')).toBeUndefined();

    // The same set again: nothing recomputed, the same translation.
    const bad = setOf([g, badApi('a', 4), b]);
    const once = translator.translate(bad);
    expect(translator.translate(setOf([...bad.ApiGroup.values(), ...bad.Api.values()]))).toBe(once);
    expect(translator.computedSteps).toBe(0);

    // Another invalid edit: still generation 3.
    const worse = translator.translate(setOf([g, badApi('a', 5), b]));
    expect(worse.statuses.get('Api/team/a')).toMatchObject({ generation: 5, servedGeneration: 3 });
    expect(routeOf(worse, 'a')).toBe(served);

    // A valid edit replaces it.
    const fixed = translator.translate(setOf([g, api('a', 'new', 6), b]));
    expect(bodies(fixed).find((b) => b.startsWith('a:'))).toContain('new');
    const fine = fixed.statuses.get('Api/team/a');
    expect(fine).toMatchObject({ generation: 6, inIR: true, accepted: { status: 'True' } });
    expect(fine?.servedGeneration).toBeUndefined();
  });

  it('does not serve an object invalid from the start', () => {
    const translator = new Translator(config, validate);
    const t = translator.translate(setOf([group('g'), badApi('a', 1)]));
    expect(routeOf(t, 'a')).toBeUndefined();
    expect(t.statuses.get('Api/team/a')).toMatchObject({ generation: 1, inIR: false, accepted: { status: 'False', reason: 'Invalid', message: INVALID } });
    expect(t.statuses.get('Api/team/a')?.servedGeneration).toBeUndefined();
  });

  it('forgets a deleted object: recreated invalid, it is not served', () => {
    const translator = new Translator(config, validate);
    translator.translate(setOf([group('g'), api('a', 'old', 1)]));
    const deleted = translator.translate(setOf([group('g')]));
    expect(routeOf(deleted, 'a')).toBeUndefined();
    const back = translator.translate(setOf([group('g'), badApi('a', 1)]));
    expect(routeOf(back, 'a')).toBeUndefined();
    expect(back.statuses.get('Api/team/a')?.inIR).toBe(false);
  });

  it('does not let an object re-created with a new uid inherit its namesake\'s last valid version', () => {
    const translator = new Translator(config, validate);
    translator.translate(setOf([group('g'), api('a', 'old', 2, 'uid-1')]));
    const kept = translator.translate(setOf([group('g'), badApi('a', 3, 'uid-1')]));
    expect(routeOf(kept, 'a')).toBeDefined();
    const recreated = translator.translate(setOf([group('g'), badApi('a', 1, 'uid-2')]));
    expect(routeOf(recreated, 'a')).toBeUndefined();
    expect(recreated.statuses.get('Api/team/a')).toMatchObject({ generation: 1, inIR: false, accepted: { reason: 'Invalid', message: INVALID } });
  });

  it('applies to every kind through validation: an App keeps its quota', () => {
    const translator = new Translator(config, validate);
    const first = translator.translate(setOf([group('g'), creds, app('metered', 1, { limit: 10, unit: 'HOUR' })]));
    expect(first.ir.rateLimit?.appQuotas).toEqual([{ source: { kind: 'App', namespace: 'team', name: 'metered' }, limit: 10, unit: 'HOUR' }]);
    const broken = translator.translate(setOf([group('g'), creds, app('metered', 2, { limit: 10, unit: 'FORTNIGHT' })]));
    expect(broken.ir.rateLimit).toBe(first.ir.rateLimit);
    expect(broken.ir.authz).toBe(first.ir.authz);
    expect(broken.statuses.get('App/team/metered')).toMatchObject({ generation: 2, servedGeneration: 1, accepted: { status: 'False', reason: 'Invalid' } });
    expect(broken.statuses.get('App/team/metered')?.accepted.message).toMatch(/; still serving generation 1$/);
  });
});
