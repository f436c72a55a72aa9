import type { SourceKind } from '@turnpike/xds-server';
import { createLogger } from './log';
import type { ObjectStatus } from './pipeline';
import { PatchedMap } from './resources/patched-map';
import { statusPrinter } from './standalone-status';

const TRUE = { status: 'True', reason: 'Accepted', message: '' } as const;
const PENDING = { status: 'Unknown', reason: 'Pending', message: 'Waiting for 1 Envoy(s).' } as const;
const status = (name: string, programmed: ObjectStatus['programmed'] = TRUE, kind: SourceKind = 'Api'): ObjectStatus => ({
  source: { kind, namespace: 'n', name }, generation: 1, accepted: TRUE, resolvedRefs: TRUE, programmed, fields: {},
});
const mapOf = (statuses: readonly ObjectStatus[]): ReadonlyMap<string, ObjectStatus> => new Map(statuses.map((s) => [`Api/n/${s.source.name}`, s]));

function printed(): { lines: Record<string, unknown>[]; print: ReturnType<typeof statusPrinter> } {
  const lines: Record<string, unknown>[] = [];
  return { lines, print: statusPrinter(createLogger({ write: (line) => { lines.push(JSON.parse(line) as Record<string, unknown>); } })) };
}

describe('statusPrinter', () => {
  it('describes each object whose conditions changed, once', () => {
    const { lines, print } = printed();
    const a = status('a', PENDING);
    print(mapOf([a, status('b')]));
    print(mapOf([a, status('b')]));
    expect(lines.map((l) => [l.msg, l.object])).toEqual([
      ['Accepted=True ResolvedRefs=True Programmed=Unknown (Pending: Waiting for 1 Envoy(s).)', 'Api/n/a'],
      ['Accepted=True ResolvedRefs=True Programmed=True', 'Api/n/b'],
    ]);
    print(mapOf([status('a'), status('b')]));
    expect(lines.slice(2).map((l) => [l.level, l.msg, l.object])).toEqual([['info', 'Accepted=True ResolvedRefs=True Programmed=True', 'Api/n/a']]);
  });

  it('sums up many changes at once by conditions, naming a few objects, failures as warnings', () => {
    const { lines, print } = printed();
    const rejected = { status: 'False', reason: 'Rejected', message: 'Envoy rejected it.' } as const;
    const names = Array.from({ length: 30 }, (_, i) => `api-${String(i).padStart(2, '0')}`);
    print(mapOf(names.map((name, i) => status(name, i < 25 ? TRUE : rejected))));
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', msg: 'Accepted=True ResolvedRefs=True Programmed=True', objects: 25, examples: ['Api/n/api-00', 'Api/n/api-01', 'Api/n/api-02', 'Api/n/api-03', 'Api/n/api-04'] }),
      expect.objectContaining({ level: 'warn', msg: 'Accepted=True ResolvedRefs=True Programmed=False (Rejected: Envoy rejected it.)', objects: 5 }),
    ]);
  });

  it('looks only at the statuses that differ when they are patched from the last ones', () => {
    const { lines, print } = printed();
    const first = mapOf([status('a', PENDING), status('b', PENDING)]);
    print(first);
    print(PatchedMap.of(first, new Map([['Api/n/b', status('b')]])));
    expect(lines.slice(2).map((l) => [l.msg, l.object])).toEqual([['Accepted=True ResolvedRefs=True Programmed=True', 'Api/n/b']]);
  });
});

