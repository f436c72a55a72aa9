/**
 * An open-loop paced load by vegeta (`make setup-bench`): requests leave on a fixed schedule
 * whatever the answers do, and each latency is timed by a Go process of its own, not by an event
 * loop that also runs a backend or waits on a timer. The paced phases measure p99 added with it;
 * a Node client's own scheduling delays were larger than the difference being measured.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadResult } from './load';

export interface PacedOptions {
  readonly port: number;
  readonly host: string;
  readonly path: string;
  readonly seconds: number;
  /** Requests per second. */
  readonly rate: number;
  /** At most this many connections (keep-alive). */
  readonly connections: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** vegeta from $TURNPIKE_CACHE/bin, where `make setup-bench` puts it. */
function vegeta(): string {
  const file = path.join(process.env.TURNPIKE_CACHE ?? path.join(os.homedir(), '.cache', 'turnpike'), 'bin', 'vegeta');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run make setup-bench`);
  return file;
}

/** vegeta's JSON result line (`vegeta encode --to json`); latency in ns, code 0 when the request failed. */
interface Hit { readonly latency: number; readonly code: number }

function run(args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(vegeta(), args, { stdio: ['pipe', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => { out.push(chunk); });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`vegeta ${args[0] ?? ''} exited ${code ?? '?'}`));
    });
    child.stdin.end(input);
  });
}

export async function pacedLoad(o: PacedOptions): Promise<LoadResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-vegeta-'));
  try {
    const results = path.join(dir, 'results.bin');
    const target = [`GET http://127.0.0.1:${o.port}${o.path}`, `Host: ${o.host}`, ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`)].join('\n');
    await run(['attack', `-rate=${Math.round(o.rate)}/s`, `-duration=${o.seconds}s`, `-max-connections=${o.connections}`, '-timeout=10s', `-output=${results}`], `${target}\n`);
    const hits = (await run(['encode', '--to', 'json', results])).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Hit);
    const statuses: Record<number, number> = {};
    const answered = hits.filter((h) => h.code !== 0);
    for (const h of answered) statuses[h.code] = (statuses[h.code] ?? 0) + 1;
    return {
      requests: answered.length,
      seconds: o.seconds,
      latencies: answered.map((h) => h.latency / 1e6).sort((a, b) => a - b),
      statuses,
      errors: hits.length - answered.length,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
