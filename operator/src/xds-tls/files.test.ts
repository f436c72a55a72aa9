import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RotatingServerTls } from '@turnpike/xds-server';
import { ConfigError } from '../config';
import { createLogger } from '../log';
import { createCa, issueLeaf, type CaPem } from '../pki';
import { watchTlsDirectory } from './files';

const validity = { notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 3_600_000) };
const warnings: string[] = [];
const log = createLogger({ level: 'warn', write: (line) => { warnings.push(line); } });

function write(dir: string, ca: CaPem, leaf: { cert: string; key: string }): void {
  fs.writeFileSync(path.join(dir, 'tls.crt'), leaf.cert);
  fs.writeFileSync(path.join(dir, 'tls.key'), leaf.key);
  fs.writeFileSync(path.join(dir, 'ca.crt'), ca.cert);
}

async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('the xDS certificate from a directory (--xds-tls-dir)', () => {
  const ca = createCa('dir CA', validity);
  const server = (): { cert: string; key: string } => issueLeaf(ca, { commonName: 'xds', usage: 'server', validity, dnsNames: ['xds'] });
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xds-tls-dir-')); });
  afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

  it('refuses to start without tls.crt, tls.key and ca.crt, naming the flag', () => {
    expect(() => watchTlsDirectory(dir, new RotatingServerTls(), log)).toThrow(ConfigError);
    expect(() => watchTlsDirectory(dir, new RotatingServerTls(), log)).toThrow(/^--xds-tls-dir: .* must hold tls.crt, tls.key, ca.crt/);
  });

  it('serves the files, then the renewed ones; a certificate and key that do not match keep the previous pair', async () => {
    const first = server();
    write(dir, ca, first);
    const tls = new RotatingServerTls();
    const watcher = watchTlsDirectory(dir, tls, log, 20);
    try {
      expect(tls.current).toEqual({ cert: first.cert, key: first.key, ca: ca.cert });
      const renewed = server();
      write(dir, ca, renewed);
      await until(() => tls.current?.cert === renewed.cert, 'the renewed certificate');
      expect(tls.current).toEqual({ cert: renewed.cert, key: renewed.key, ca: ca.cert });
      // A mismatched pair is read, refused with a warning, and the good one stays.
      const before = tls.current;
      warnings.length = 0;
      fs.writeFileSync(path.join(dir, 'tls.key'), first.key);
      await until(() => warnings.some((w) => w.includes('could not re-read the xDS certificate; keeping the current one')), 'the mismatched pair to be refused');
      expect(tls.current).toBe(before);
      expect(warnings.join('\n')).not.toContain('PRIVATE KEY');
    } finally {
      watcher.stop();
    }
  });
});
