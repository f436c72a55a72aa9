// Type order and removal deferral for Scoped RDS: route configurations before the scopes that
// point at them; a scope removed at once, its route configuration only in the break phase.
import { TYPE_URLS, type JsonObject } from '../proto';
import type { SnapshotResource } from '../snapshot';
import { resourceInput } from '../snapshot/fixtures';
import { compareTypes, makeTarget, waitsFor } from './target';
import { snapshotOf } from './testing/targets';

const { cluster: CDS, clusterLoadAssignment: EDS, routeConfiguration: RDS, scopedRouteConfiguration: SRDS, listener: LDS } = TYPE_URLS;

const routeConfig = (name: string): JsonObject => ({ name, virtual_hosts: [] });
const scope = (host: string, routes: string): JsonObject => ({
  name: `http/${host}`, route_configuration_name: routes, key: { fragments: [{ string_key: host }, { string_key: 'http' }] },
});

function world(groups: readonly string[]): ReturnType<typeof snapshotOf> {
  return snapshotOf(resourceInput({
    [RDS]: groups.map((g) => routeConfig(`http/ns/${g}`)),
    [SRDS]: groups.map((g) => scope(`${g}.example.test`, `http/ns/${g}`)),
  }));
}

describe('Scoped RDS in the ADS push order', () => {
  it('pushes scopes last, after the route configurations and the clusters they wait for', () => {
    expect([SRDS, RDS, LDS, CDS, EDS].sort(compareTypes)).toEqual([CDS, EDS, LDS, RDS, SRDS]);
    expect(waitsFor(SRDS)).toEqual([CDS, EDS, RDS]);
  });

  it('removes a scope in the make phase and keeps its route configuration until the break phase', () => {
    const before = world(['a', 'b']);
    const after = world(['a']);
    const held = (typeUrl: string): { resources: ReadonlyMap<string, SnapshotResource>; names: ReadonlySet<string> } => {
      const resources = before.types.get(typeUrl)?.resources ?? new Map<string, SnapshotResource>();
      return { resources, names: new Set(resources.keys()) };
    };
    expect([...makeTarget(after, SRDS, held(SRDS)).resources.keys()]).toEqual(['http/a.example.test']);
    expect([...makeTarget(after, RDS, held(RDS)).resources.keys()]).toEqual(['http/ns/a', 'http/ns/b']);
  });
});
