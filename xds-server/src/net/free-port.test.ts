import fs from 'node:fs';
import net from 'node:net';
import { freePort } from './free-port';

const [low, high] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number) as [number, number];

describe('freePort', () => {
  it('gives ports outside the ephemeral range that can be listened on, a different one each call', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 20; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(20);
    expect(ports.filter((p) => p >= low && p <= high)).toEqual([]);
    expect(ports.filter((p) => p < 10000 || p > 65535)).toEqual([]);
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(ports[0], '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  });
});
