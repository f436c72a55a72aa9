// `turnpike status` output in the style of `kubectl get`: aligned columns, one row per thing.
import type { StatusReport } from './report';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3))).join('').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

export function renderStatus(report: StatusReport): string {
  const fleetRows = report.fleets.flatMap((f) => (f.nodes.length === 0
    ? [[f.fleet, '(none connected)', '', f.snapshotVersion ?? '-', '', '']]
    : f.nodes.map((n) => [
      f.fleet, n.nodeId, String(n.streams), n.syncedVersion ?? '-',
      n.syncedVersion !== null && n.syncedVersion === f.snapshotVersion ? 'True' : 'False',
      n.nacks.length === 0 ? '-' : n.nacks.map((k) => `${k.type}: ${oneLine(k.message)}`).join('; '),
    ])));
  const objectRows = report.objects.map((o) => {
    const [accepted, resolved, programmed] = o.conditions;
    const problem = o.conditions.find((c) => c.status !== 'True');
    return [
      o.kind, o.namespace, o.name, String(o.generation), accepted?.status ?? '', resolved?.status ?? '', programmed?.status ?? '',
      problem === undefined ? '' : `${problem.type} ${problem.reason}: ${oneLine(problem.message)}`,
    ];
  });
  return [
    table(['FLEET', 'NODE', 'STREAMS', 'ACKED SNAPSHOT', 'CURRENT', 'NACKED'], fleetRows),
    '',
    table(['KIND', 'NAMESPACE', 'NAME', 'GENERATION', 'ACCEPTED', 'RESOLVEDREFS', 'PROGRAMMED', 'MESSAGE'], objectRows),
    '',
  ].join('\n');
}
