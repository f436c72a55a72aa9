/**
 * `turnpike status [--server HOST:PORT] [-o json]`: the fleet (connected Envoys and the snapshot
 * each ACKed) and every object's conditions, from a running operator's or standalone's health
 * port (`GET /status`). In a cluster: `kubectl port-forward` to an operator pod first; each replica
 * reports the clients connected to it.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config';
import { renderStatus } from './render';
import type { StatusReport } from './report';

export async function runStatus(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv], strict: true, allowPositionals: false,
    options: { server: { type: 'string' }, output: { type: 'string', short: 'o' } },
  });
  const output = values.output ?? 'table';
  if (output !== 'table' && output !== 'json') throw new ConfigError(`-o: ${output} is not table or json`);
  const server = values.server ?? `127.0.0.1:${process.env.TURNPIKE_HEALTH_PORT ?? '8081'}`;
  const url = `http://${server}/status`;
  const res = await fetch(url).catch((err: unknown) => {
    throw new Error(`cannot reach ${url} (is --health-port set, or the port forwarded?): ${String(err)}`);
  });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${res.statusText}`);
  const report = (await res.json()) as StatusReport;
  process.stdout.write(output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report));
}
