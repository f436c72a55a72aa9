// Incremental translation: identity of unchanged pieces between passes, re-translation of what a
// change reaches, and the same results as a full translation after every step.
import type { ApiGroupIR } from '@turnpike/xds-server';
import type { GatewayConfig } from '../config';
import { buildResourceSet, patchResourceSet } from '../provider/informers-set';
import type { Kind, KubeObject, ResourceSet } from '../resources/resourceset';
import { testGateway, validate } from './testing';
import { Translator, translateResourceSet, type Translation } from '.';

const config: GatewayConfig = { ...testGateway, rateLimit: { host: 'ratelimit', port: 8081 } };
const T = 'turnpike.dev/v1alpha1';
const at = (second: number): string => `2026-01-01T00:00:${String(second).padStart(2, '0')}Z`;

const group = (name: string, spec: Record<string, unknown> = {}, second = 0): KubeObject => ({
  apiVersion: T, kind: 'ApiGroup', metadata: { name, namespace: 'team', creationTimestamp: at(second), generation: 1 }, spec,
});
const api = (name: string, groupName: string, extra: Record<string, unknown> = {}, second = 1, generation = 1): KubeObject => ({
  apiVersion: T, kind: 'Api', metadata: { name, namespace: 'team', creationTimestamp: at(second), generation },
  spec: { groupRef: { name: groupName }, method: 'GET', path: `/${name}`, backend: { mock: { body: name } }, ...extra },
});
const service = (port: number): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc', namespace: 'team' }, spec: { ports: [{ port }] } });
const slice = (address: string): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'svc-1', namespace: 'team', labels: { 'kubernetes.io/service-name': 'svc' } },
  addressType: 'IPv4', ports: [{ port: 8080 }], endpoints: [{ addresses: [address] }],
});
const tls = (cert: string): KubeObject => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cert', namespace: 'team' }, type: 'kubernetes.io/tls',
  stringData: { 'tls.crt': cert, 'tls.key': '-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----' },
});
const PEM = '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----';
const throttle = (name: string, target: string, second = 5): KubeObject => ({
  apiVersion: T, kind: 'ThrottlePolicy', metadata: { name, namespace: 'team', creationTimestamp: at(second), generation: 1 },
  spec: { targetRefs: [{ kind: 'ApiGroup', name: target }], limits: { api: 10 } },
});

function setOf(objects: readonly KubeObject[]): ResourceSet {
  const byKind = new Map<Kind, KubeObject[]>();
  for (const object of objects) byKind.set(object.kind as Kind, [...(byKind.get(object.kind as Kind) ?? []), object]);
  return buildResourceSet(byKind);
}

const text = (t: Translation): string => JSON.stringify({ ir: t.ir, statuses: [...t.statuses] });

/** Each translator's last set: the next is patched from it, as the providers make their sets. */
const lastSets = new WeakMap<Translator, ResourceSet>();

/** `objects` as a set patched from `previous` (patchResourceSet: the maps of updated kinds are PatchedMaps). */
function patchedSet(previous: ResourceSet, objects: readonly KubeObject[]): ResourceSet {
  const next = setOf(objects);
  const changes = new Map<Kind, Map<string, KubeObject | undefined>>();
  for (const kind of Object.keys(next) as Kind[]) {
    const changed = new Map<string, KubeObject | undefined>();
    for (const [key, object] of next[kind]) if (previous[kind].get(key) !== object) changed.set(key, object);
    for (const key of previous[kind].keys()) if (!next[kind].has(key)) changed.set(key, undefined);
    if (changed.size > 0) changes.set(kind, changed);
  }
  return patchResourceSet(previous, changes, (kind) => [...next[kind].values()]);
}

/** Translates incrementally and checks the result against a full translation of the same set. */
function pass(translator: Translator, objects: readonly KubeObject[]): Translation {
  const previous = lastSets.get(translator);
  const set = previous === undefined ? setOf(objects) : patchedSet(previous, objects);
  lastSets.set(translator, set);
  const result = translator.translate(set);
  expect(text(result)).toBe(text(translateResourceSet(set, config, validate)));
  return result;
}

const groupIR = (t: Translation, name: string): ApiGroupIR | undefined => t.ir.groups.find((g) => g.source.name === name);
const status = (t: Translation, key: string): ReturnType<Translation['statuses']['get']> => t.statuses.get(key);

describe('Translator (incremental)', () => {
  const world = [group('a'), group('b'), api('a1', 'a'), api('a2', 'a'), api('b1', 'b'), api('orphan', 'nope'), throttle('t', 'a'), service(80), slice('10.0.0.1')];

  it('gives back the very same pieces for an identical set, computing nothing', () => {
    const translator = new Translator(config, validate);
    const first = pass(translator, world);
    const second = pass(translator, [...world]);
    expect(translator.computedSteps).toBe(0);
    expect(second).toBe(first);
    expect(second.ir.groups[0]).toBe(first.ir.groups[0]);
    expect(second.ir.rateLimit).toBe(first.ir.rateLimit);
    expect(second.ir.authz).toBe(first.ir.authz);
    expect(second.statuses).toBe(first.statuses);
  });

  it('changes only the edited Api\'s group, and keeps every other piece and status', () => {
    const translator = new Translator(config, validate);
    const first = pass(translator, world);
    const edited = api('b1', 'b', { backend: { mock: { body: 'new' } } }, 1, 2);
    const second = pass(translator, world.map((o) => (o.metadata.name === 'b1' ? edited : o)));
    expect(groupIR(second, 'b')).not.toBe(groupIR(first, 'b'));
    expect(groupIR(second, 'a')).toBe(groupIR(first, 'a'));
    expect(groupIR(second, 'a')?.routes).toBe(groupIR(first, 'a')?.routes);
    expect(second.ir.authz).toBe(first.ir.authz);
    expect(second.ir.rateLimit).toBe(first.ir.rateLimit);
    expect(status(second, 'Api/team/a1')).toBe(status(first, 'Api/team/a1'));
    expect(status(second, 'ApiGroup/team/b')).toBe(status(first, 'ApiGroup/team/b'));
    expect(status(second, 'ThrottlePolicy/team/t')).toBe(status(first, 'ThrottlePolicy/team/t'));
    expect(status(second, 'Api/team/b1')?.generation).toBe(2);
  });

  it('equals a full translation through edits in place: several at once, to invalid and back, to another group, to none', () => {
    const translator = new Translator(config, validate);
    let objects = [...world, api('a3', 'a', {}, 2), api('b2', 'b', {}, 3)];
    const edit = (name: string, make: (generation: number) => KubeObject): void => {
      objects = objects.map((o) => (o.kind === 'Api' && o.metadata.name === name ? make((o.metadata.generation ?? 1) + 1) : o));
      pass(translator, objects);
    };
    pass(translator, objects);
    const body = (name: string, group: string, value: string, second: number) => (generation: number): KubeObject => api(name, group, { backend: { mock: { body: value } } }, second, generation);
    edit('a1', body('a1', 'a', 'one', 1));
    objects = objects.map((o) => (o.kind === 'Api' && o.metadata.name === 'a2' ? api('a2', 'a', { path: '/a2-new' }, 1, 2) : o.kind === 'Api' && o.metadata.name === 'b1' ? api('b1', 'b', { path: '/b1-new' }, 1, 2) : o));
    pass(translator, objects);
    edit('a3', (generation) => api('a3', 'a', { path: 'no-slash' }, 2, generation)); // invalid: served at its last valid version
    edit('a3', body('a3', 'a', 'valid again', 2));
    edit('b2', body('b2', 'a', 'moved to a', 3));
    edit('b2', body('b2', 'nope', 'orphaned', 3));
    edit('orphan', body('orphan', 'nope', 'still orphaned', 1));
    const last = pass(translator, objects);
    expect(status(last, 'Api/team/b2')?.resolvedRefs.status).toBe('False');
    expect(JSON.stringify(groupIR(last, 'a'))).toContain('valid again');
  });

  it('equals a full translation through ApiGroup edits in place between Api edits: a domain taken and released', () => {
    const translator = new Translator(config, validate);
    const bound = (name: string, hostname: string, second: number, generation = 1, extra: Record<string, unknown> = {}): KubeObject => {
      const object = group(name, { domains: [{ hostname }], ...extra }, second);
      return { ...object, metadata: { ...object.metadata, generation } };
    };
    let objects = [bound('a', 'a.example.com', 0), bound('b', 'b.example.com', 5), api('a1', 'a'), api('b1', 'b', {}, 6)];
    const replace = (kind: string, name: string, next: KubeObject): Translation => {
      objects = objects.map((o) => (o.kind === kind && o.metadata.name === name ? next : o));
      return pass(translator, objects);
    };
    pass(translator, objects);
    replace('Api', 'b1', api('b1', 'b', { backend: { mock: { body: 'b1 edited' } } }, 6, 2));
    const taken = replace('ApiGroup', 'b', bound('b', 'a.example.com', 5, 2));
    expect(status(taken, 'ApiGroup/team/b')?.accepted.reason).toBe('Conflicted');
    replace('Api', 'a1', api('a1', 'a', { backend: { mock: { body: 'a1 edited' } } }, 1, 2));
    const moved = replace('ApiGroup', 'a', bound('a', 'c.example.com', 0, 2, { defaultSubdomain: { enabled: false } }));
    expect(groupIR(moved, 'a')?.subdomain).toBeUndefined();
    const again = replace('Api', 'a1', api('a1', 'a', { backend: { mock: { body: 'a1 again' } } }, 1, 3));
    expect(JSON.stringify(groupIR(again, 'a'))).toContain('a1 again');
    const released = replace('Api', 'b1', api('b1', 'b', { backend: { mock: { body: 'b1 last' } } }, 6, 3));
    expect(status(released, 'ApiGroup/team/b')?.accepted.reason).toBe('Accepted');
  });

  it('re-translates the dependants of a referenced Service, EndpointSlice and TLS Secret', () => {
    const translator = new Translator(config, validate);
    const backed = api('s1', 'b', { path: '/s1', backend: { service: { name: 'svc', port: 80, path: '/' } } });
    const bound = group('b', { domains: [{ hostname: 'b.example.com', tls: { secretName: 'cert' } }] });
    const base = [group('a'), bound, api('a1', 'a'), backed, service(80), slice('10.0.0.1'), tls(PEM)];
    const first = pass(translator, base);
    expect(first.ir.clusters[0]?.kind === 'Service' ? first.ir.clusters[0].endpoints : []).toEqual([{ address: '10.0.0.1', port: 8080 }]);
    const moved = pass(translator, base.map((o) => (o.kind === 'EndpointSlice' ? slice('10.0.0.2') : o)));
    expect(moved.ir.clusters[0]?.kind === 'Service' ? moved.ir.clusters[0].endpoints : []).toEqual([{ address: '10.0.0.2', port: 8080 }]);
    expect(groupIR(moved, 'a')).toBe(groupIR(first, 'a'));
    const portless = pass(translator, base.map((o) => (o.kind === 'Service' ? service(81) : o)));
    expect(status(portless, 'Api/team/s1')?.resolvedRefs.reason).toBe('ServiceNotFound');
    expect(groupIR(portless, 'a')).toBe(groupIR(first, 'a'));
    const badCert = pass(translator, base.map((o) => (o.kind === 'Secret' ? tls('not pem') : o)));
    expect(status(badCert, 'ApiGroup/team/b')?.resolvedRefs.reason).toBe('InvalidSecret');
    expect(groupIR(badCert, 'a')).toBe(groupIR(first, 'a'));
  });

  it('resolves hostname and route conflicts oldest first across passes', () => {
    const translator = new Translator(config, validate);
    const older = group('old', { domains: [{ hostname: 'shop.example.com' }] }, 0);
    const newer = group('new', { domains: [{ hostname: 'shop.example.com' }] }, 10);
    const first = pass(translator, [newer]);
    expect(groupIR(first, 'new')?.domains.map((d) => d.hostname)).toEqual(['shop.example.com']);
    const both = pass(translator, [newer, older]);
    expect(groupIR(both, 'new')?.domains).toEqual([]);
    expect(status(both, 'ApiGroup/team/new')?.accepted.reason).toBe('Conflicted');
    expect(groupIR(both, 'old')?.domains.map((d) => d.hostname)).toEqual(['shop.example.com']);
    const released = pass(translator, [newer]);
    expect(status(released, 'ApiGroup/team/new')?.accepted.reason).toBe('Accepted');
    // Two Apis with one method and path in one group: the older keeps it, whatever the arrival order.
    const late = api('late', 'old', { path: '/same' }, 20);
    const early = api('early', 'old', { path: '/same' }, 2);
    pass(translator, [older, late]);
    const clash = pass(translator, [older, late, early]);
    expect(status(clash, 'Api/team/late')?.accepted.reason).toBe('Conflicted');
    expect(groupIR(clash, 'old')?.routes.map((r) => r.source.name)).toEqual(['early']);
  });

  it('re-attaches policies when they change, keeping the groups they do not reach', () => {
    const translator = new Translator(config, validate);
    const first = pass(translator, world);
    expect(groupIR(first, 'a')?.routes[0]?.policies?.throttle).toBeDefined();
    const retargeted = pass(translator, world.map((o) => (o.kind === 'ThrottlePolicy' ? throttle('t', 'b') : o)));
    expect(groupIR(retargeted, 'a')?.routes[0]?.policies).toBeUndefined();
    expect(groupIR(retargeted, 'b')?.routes[0]?.policies?.throttle).toBeDefined();
  });
});
