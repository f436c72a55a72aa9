#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=8
/**
 * `turnpike` — one binary, components chosen by sub-command:
 *   turnpike standalone -f DIR    the whole gateway from YAML files (quick start)
 *   turnpike operator             the control plane against a Kubernetes API server
 *   turnpike demo-backend         the echo backend the examples call
 *   turnpike call URL             a request signed with an App's AppKey/AppSecret, curl-like
 *   turnpike envoy --xds H:P      one Envoy connected to a Turnpike control plane
 *   turnpike status               connected Envoys and every object's conditions
 */
import { ConfigError } from './config';

type Command = (argv: readonly string[]) => Promise<void>;

const commands: Readonly<Record<string, { readonly summary: string; readonly load: () => Promise<Command> }>> = {
  standalone: { summary: 'serve the manifests in -f DIR with Envoy, no cluster needed', load: async () => (await import('./standalone')).runStandalone },
  operator: { summary: 'run the control plane against Kubernetes (flags: see docs/operating.md)', load: async () => (await import('./operator')).runOperator },
  'demo-backend': { summary: 'an HTTP echo backend (--port, default 18080)', load: async () => (await import('./demo/command')).runDemoBackend },
  envoy: { summary: 'run an Envoy against a control plane: --xds HOST:PORT [--fleet] [--node-id] [--state-dir] [--admin-port]', load: async () => (await import('./envoy/command')).runEnvoy },
  status: { summary: 'connected Envoys and every object\'s conditions, from a health port: [--server HOST:PORT] [-o json]', load: async () => (await import('./report/command')).runStatus },
  call: { summary: 'send a request signed with an AppKey/AppSecret (curl-like; --help)', load: async () => (await import('./call/command')).runCall },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  turnpike ${name.padEnd(14)} ${c.summary}`);
  return `usage:\n${lines.join('\n')}\n`;
}

async function main(argv: readonly string[]): Promise<void> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (command === undefined) {
    process.stderr.write(usage());
    process.exitCode = name === undefined || name === 'help' || name === '--help' ? 0 : 2;
    return;
  }
  await (await command.load())(rest);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`turnpike: ${message}\n`);
  process.exitCode = err instanceof ConfigError ? 2 : 1;
});
