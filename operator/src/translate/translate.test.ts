// CR → IR, one case per rule of thumb. The goldens of whole manifests (examples/ included) are
// operator/testdata/cases (src/golden).
import type { GatewayConfig } from '../config';
import { toResourceSet, type KubeObject } from '../resources/resourceset';
import { testGateway, validate } from './testing';
import { translateResourceSet, type Translation } from '.';

const config: GatewayConfig = testGateway;

function translate(objects: readonly KubeObject[]): Translation {
  return translateResourceSet(toResourceSet(objects).set, config, validate);
}

const group = (name: string, spec: Record<string, unknown> = {}, created = '2026-01-01T00:00:00Z'): KubeObject => ({
  apiVersion: 'turnpike.dev/v1alpha1', kind: 'ApiGroup', metadata: { name, namespace: 'team', creationTimestamp: created }, spec,
});
const api = (name: string, spec: Record<string, unknown>, created = '2026-01-01T00:00:00Z'): KubeObject => ({
  apiVersion: 'turnpike.dev/v1alpha1', kind: 'Api', metadata: { name, namespace: 'team', creationTimestamp: created },
  spec: { groupRef: { name: 'shop' }, method: 'GET', path: '/items', backend: { mock: { body: 'ok' } }, ...spec },
});

describe('translateResourceSet', () => {
  it('reports a dangling groupRef, Service and environment without serving the Api', () => {
    const result = translate([
      group('shop'),
      api('dangling', { groupRef: { name: 'nope' } }),
      api('no-service', { path: '/svc', backend: { service: { name: 'ghost', port: 80, path: '/' } } }),
      api('no-env', { path: '/env', environments: ['STAGING'] }),
    ]);
    const reasons = [...result.statuses.values()].map((s) => [s.source.name, s.resolvedRefs.reason, s.resolvedRefs.message, s.inIR]);
    expect(reasons).toEqual([
      ['dangling', 'GroupNotFound', 'spec.groupRef: ApiGroup team/nope does not exist', false],
      ['no-env', 'EnvironmentNotFound', 'spec.environments: ApiGroup team/shop does not define STAGING', false],
      ['no-service', 'ServiceNotFound', 'backend.service: Service team/ghost not found', false],
      ['shop', 'ResolvedRefs', 'Every reference resolved.', true],
    ]);
    expect(result.ir.groups[0]?.routes).toEqual([]);
  });

  it('keeps a route and a domain with the older object and marks the newer Conflicted', () => {
    const result = translate([
      group('shop', { domains: [{ hostname: 'api.example.com' }] }),
      group('late', { domains: [{ hostname: 'api.example.com' }] }, '2026-02-01T00:00:00Z'),
      api('first', {}),
      api('second', {}, '2026-02-01T00:00:00Z'),
    ]);
    const accepted = Object.fromEntries([...result.statuses.values()].map((s) => [s.source.name, `${s.accepted.reason}: ${s.accepted.message}`]));
    expect(accepted).toEqual({
      first: 'Accepted: The spec is valid.',
      second: 'Conflicted: GET /items is already published in this group by Api team/first',
      shop: 'Accepted: The spec is valid.',
      late: 'Conflicted: domain api.example.com is already bound to ApiGroup team/shop; this group is served without it',
    });
  });

  it('resolves a Service backend to its ready EndpointSlice endpoints', () => {
    const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'items', namespace: 'team' }, spec: { ports: [{ name: 'http', port: 80 }] } };
    const slice: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: 'items-abc', namespace: 'team', labels: { 'kubernetes.io/service-name': 'items' } },
      addressType: 'IPv4', ports: [{ name: 'http', port: 8080 }],
      endpoints: [{ addresses: ['10.1.0.1'], conditions: { ready: true } }, { addresses: ['10.1.0.2'], conditions: { ready: false } }, { addresses: ['10.1.0.3'] }],
    };
    const result = translate([group('shop'), service, slice, api('svc', { backend: { service: { name: 'items', port: 80, path: '/v2/items' } } })]);
    expect(result.ir.clusters).toEqual([{
      kind: 'Service', name: 'svc/team/items/80', source: { kind: 'Service', namespace: 'team', name: 'items' }, port: 80, scheme: 'http',
      endpoints: [{ address: '10.1.0.1', port: 8080 }, { address: '10.1.0.3', port: 8080 }],
    }]);
  });

  it('rejects an invalid spec with the schema error', () => {
    const result = translate([group('shop'), api('bad', { method: 'FETCH' })]);
    expect(result.statuses.get('Api/team/bad')?.accepted).toEqual({ status: 'False', reason: 'Invalid', message: 'spec.method: must be one of GET, POST, PUT, DELETE, HEAD, PATCH, OPTIONS, ANY' });
  });
});
