import fs from 'node:fs';
import net from 'node:net';

/** The kernel's default ephemeral range, used when /proc does not say. */
const DEFAULT_EPHEMERAL: readonly [number, number] = [32768, 60999];
/** Below this are the ports services habitually claim (3000, 5432, 6379, 8080, 9090…). */
const LOWEST = 10000;
const TRIES = 100;

/**
 * A TCP port on `host` that nothing listens on, for a child process to bind soon after.
 *
 * Not a port the kernel picks (`listen(0)`): that comes from the ephemeral range, where an
 * outgoing connection's local end may take it before the child binds, and the child fails with
 * "Address already in use". So the port comes from outside that range, probed from a random start
 * that each call advances, which keeps parallel processes (test workers) apart.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const spans = portsOutsideEphemeral();
  const total = spans.reduce((sum, [first, last]) => sum + last - first + 1, 0);
  if (total === 0) return kernelPort(host);
  for (let i = 0; i < TRIES; i++) {
    cursor = (cursor + 1) % total;
    const port = portAt(spans, cursor);
    if (await canListen(port, host)) return port;
  }
  throw new Error(`no free TCP port on ${host} after ${TRIES} tries outside the ephemeral range`);
}

let cursor = Math.floor(Math.random() * 65536);

type Span = readonly [first: number, last: number];

/** [LOWEST, 65535] without the ephemeral range: up to two spans. */
function portsOutsideEphemeral(): Span[] {
  const [low, high] = ephemeralRange();
  const spans: Span[] = [[LOWEST, Math.min(low - 1, 65535)], [Math.max(high + 1, LOWEST), 65535]];
  return spans.filter(([first, last]) => first <= last);
}

function portAt(spans: readonly Span[], index: number): number {
  let rest = index;
  for (const [first, last] of spans) {
    if (rest <= last - first) return first + rest;
    rest -= last - first + 1;
  }
  throw new RangeError(`port index ${index} out of range`);
}

function ephemeralRange(): readonly [number, number] {
  try {
    const [low, high] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    return low !== undefined && high !== undefined && Number.isInteger(low) && Number.isInteger(high) ? [low, high] : DEFAULT_EPHEMERAL;
  } catch {
    return DEFAULT_EPHEMERAL;
  }
}

async function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => { resolve(false); });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => { resolve(true); });
    });
  });
}

async function kernelPort(host: string): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  if (address === null || typeof address === 'string') throw new Error(`no free TCP port on ${host}`);
  return address.port;
}
