/**
 * The xDS server's certificate from a directory (`--xds-tls-dir`), e.g. a mounted Secret that
 * cert-manager renews: `tls.crt`, `tls.key` and `ca.crt` (the CAs client certificates must chain
 * to). Re-read every `intervalMs`; a changed file set is served to new connections at once. A set
 * that cannot be read keeps the previous one in force.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RotatingServerTls, ServerTlsMaterial } from '@turnpike/xds-server';
import { ConfigError } from '../config';
import type { Logger } from '../log';

const FILES = ['tls.crt', 'tls.key', 'ca.crt'] as const;

function readMaterial(dir: string): ServerTlsMaterial {
  const [cert = '', key = '', ca = ''] = FILES.map((file) => fs.readFileSync(path.join(dir, file), 'utf8'));
  return { cert, key, ca };
}

export function watchTlsDirectory(dir: string, tls: RotatingServerTls, log: Logger, intervalMs = 10_000): { stop(): void } {
  try {
    tls.update(readMaterial(dir));
  } catch (err: unknown) {
    throw new ConfigError(`--xds-tls-dir: ${dir} must hold ${FILES.join(', ')}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const timer = setInterval(() => {
    try {
      const before = tls.current;
      tls.update(readMaterial(dir));
      if (tls.current !== before) log.info('serving xDS with the certificate renewed in the directory', { dir });
    } catch (err: unknown) {
      log.warn('could not re-read the xDS certificate; keeping the current one', { dir, error: err instanceof Error ? err.message : String(err) });
    }
  }, intervalMs);
  timer.unref();
  return { stop: () => { clearInterval(timer); } };
}
