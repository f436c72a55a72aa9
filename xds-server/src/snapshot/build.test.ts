import { defaultRegistry, TYPE_URLS, type JsonObject } from '../proto';
import { buildSnapshot, type BuildResult } from './build';
import { edsCluster, httpListener, loadAssignment, resourceInput, routeConfiguration, secret, world } from './fixtures';
import type { ResourceInput, Snapshot } from './types';

const registry = defaultRegistry();
const endpoint = { address: '127.0.0.1', port: 9000 };

function build(input: ResourceInput, external?: ReadonlyMap<string, ReadonlySet<string>>): BuildResult {
  return buildSnapshot('fleet', input, { registry, ...(external === undefined ? {} : { externalResources: external }) });
}

function ok(input: ResourceInput): Snapshot {
  const result = build(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.snapshot;
}

function reversed(input: ResourceInput): ResourceInput {
  return new Map([...input].reverse().map(([t, m]) => [t, new Map([...m].reverse())]));
}

describe('buildSnapshot', () => {
  it('versions by content: insertion order does not matter, a change moves only its type', () => {
    const a = ok(world({ listenerPort: 1, clusters: ['a', 'b'], endpoint }));
    expect(ok(reversed(world({ listenerPort: 1, clusters: ['a', 'b'], endpoint }))).version).toBe(a.version);
    const b = ok(world({ listenerPort: 1, clusters: ['a', 'b'], endpoint: { address: '127.0.0.1', port: 9001 } }));
    expect(b.version).not.toBe(a.version);
    expect(b.types.get(TYPE_URLS.clusterLoadAssignment)?.version).not.toBe(a.types.get(TYPE_URLS.clusterLoadAssignment)?.version);
    for (const t of [TYPE_URLS.listener, TYPE_URLS.routeConfiguration, TYPE_URLS.cluster]) {
      expect(b.types.get(t)?.version).toBe(a.types.get(t)?.version);
    }
  });

  it('keeps the encoded resource (canonical JSON on demand) and a per-resource hash', () => {
    const snap = ok(world({ listenerPort: 1, clusters: ['a'], endpoint }));
    const cluster = snap.types.get(TYPE_URLS.cluster)?.resources.get('a');
    expect(cluster === undefined ? undefined : registry.decode(cluster.any)).toEqual(edsCluster('a'));
    expect(cluster?.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(cluster).not.toHaveProperty('json');
  });

  it('ignores empty types, so an empty type and an absent type are the same world', () => {
    const input = world({ listenerPort: 1, clusters: ['a'], endpoint });
    const withEmpty = new Map(input).set(TYPE_URLS.secret, new Map<string, JsonObject>());
    expect(ok(withEmpty).version).toBe(ok(input).version);
    expect(ok(withEmpty).types.has(TYPE_URLS.secret)).toBe(false);
  });

  it('rejects encoding errors with the resource and JSON path', () => {
    const result = build(resourceInput({ [TYPE_URLS.cluster]: [{ ...edsCluster('a'), connect_timeout: 'soon' }], [TYPE_URLS.clusterLoadAssignment]: [loadAssignment('a', [endpoint])] }));
    expect(result).toEqual({ ok: false, problems: [expect.objectContaining({ kind: 'encoding', typeUrl: TYPE_URLS.cluster, name: 'a', path: 'connect_timeout' })] });
  });

  it('rejects a resource keyed under a name other than its own', () => {
    const input = new Map([[TYPE_URLS.cluster, new Map([['x', edsCluster('a')]])], [TYPE_URLS.clusterLoadAssignment, new Map([['a', loadAssignment('a', [endpoint])]])]]);
    const result = build(input);
    expect(result.ok ? [] : result.problems.map((p) => p.kind)).toEqual(['name-mismatch']);
  });

  it('rejects dangling references: route → cluster, listener → RDS and SDS, EDS cluster → endpoints', () => {
    const tlsListener = {
      ...httpListener('https', 1, 'missing-routes'),
      filter_chains: [{
        ...(httpListener('https', 1, 'missing-routes')['filter_chains'] as JsonObject[])[0],
        transport_socket: { name: 'envoy.transport_sockets.tls', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext', common_tls_context: { tls_certificate_sds_secret_configs: [{ name: 'cert', sds_config: { ads: {}, resource_api_version: 'V3' } }] } } },
      }],
    };
    const result = build(resourceInput({
      [TYPE_URLS.listener]: [tlsListener],
      [TYPE_URLS.routeConfiguration]: [routeConfiguration('routes', [{ prefix: '/', cluster: 'gone' }])],
      [TYPE_URLS.cluster]: [edsCluster('no-endpoints')],
    }));
    expect(result.ok).toBe(false);
    const missing = result.ok ? [] : result.problems.map((p) => `${p.name} → ${p.missing?.name ?? ''} @ ${p.path ?? ''}`);
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toContain(
      'RouteConfiguration "routes" references Cluster "gone" (virtual_hosts[0].routes[0].route.cluster), which is not in the snapshot');
    expect(missing.sort()).toEqual([
      'https → cert @ filter_chains[0].transport_socket.typed_config.common_tls_context.tls_certificate_sds_secret_configs[0].name',
      'https → missing-routes @ filter_chains[0].filters[0].typed_config.rds.route_config_name',
      'no-endpoints → no-endpoints @ eds_cluster_config',
      'routes → gone @ virtual_hosts[0].routes[0].route.cluster',
    ]);
  });

  it('accepts references to resources that exist outside ADS (bootstrap static clusters)', () => {
    const input = resourceInput({ [TYPE_URLS.routeConfiguration]: [routeConfiguration('r', [{ prefix: '/', cluster: 'static' }])], [TYPE_URLS.secret]: [secret('s')] });
    expect(build(input).ok).toBe(false);
    expect(build(input, new Map([[TYPE_URLS.cluster, new Set(['static'])]])).ok).toBe(true);
  });
});
