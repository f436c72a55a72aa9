import { parseArgs } from 'node:util';
import { ConfigError } from '../config';
import { startEchoServer } from './echo';

/** `turnpike demo-backend [--port 18080] [--name NAME]`: runs until interrupted. */
export async function runDemoBackend(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options: { port: { type: 'string' }, name: { type: 'string' } } });
  const port = Number(values.port ?? '18080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`--port: ${values.port ?? ''} is not a port number`);
  const server = await startEchoServer({ port, name: values.name ?? 'demo' });
  process.stderr.write(`demo backend listening on ${server.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
}
