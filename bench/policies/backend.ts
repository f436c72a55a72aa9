/**
 * The benchmark's backend in a process of its own (forked by main.ts): the demo echo server, so
 * the load generator and the backend do not share one event loop and /proc tells their CPU apart.
 * Sends its port to the parent over IPC; exits when the parent disconnects.
 */
import { startEchoServer, type EchoReply } from '@turnpike/operator';

async function main(): Promise<void> {
  const server = await startEchoServer({ name: 'bench' });
  // The echo server keeps every request for tests to inspect; a benchmark sends hundreds of
  // thousands, so drop them, or the growing heap's garbage collection is billed to the backend.
  const received = server.received as EchoReply[];
  setInterval(() => { received.length = 0; }, 1000).unref();
  process.on('disconnect', () => { void server.close().then(() => process.exit(0)); });
  process.send?.({ port: server.port });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench backend failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
