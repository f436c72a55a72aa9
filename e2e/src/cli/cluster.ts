/**
 * `make cluster-up` / `make cluster-down`: a local kube-apiserver + etcd for people (not tests),
 * with the CRDs installed and a kubeconfig at .turnpike/kubeconfig. The processes outlive this
 * command; their pids are kept in .turnpike/cluster.json so `down` can stop them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { installCrds, repoRoot } from '../harness/cluster';
import { startControlPlane } from '../harness/controlplane';
import { waitFor } from '../harness/wait';

const stateDir = path.join(repoRoot, '.turnpike');
const clusterDir = path.join(stateDir, 'cluster');
const stateFile = path.join(stateDir, 'cluster.json');
const kubeconfig = path.join(stateDir, 'kubeconfig');

interface State {
  readonly pids: readonly number[];
  readonly server: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readState(): State | undefined {
  if (!fs.existsSync(stateFile)) return undefined;
  return JSON.parse(fs.readFileSync(stateFile, 'utf8')) as State;
}

async function up(): Promise<void> {
  const existing = readState();
  if (existing !== undefined && existing.pids.every(alive)) {
    process.stdout.write(`cluster already running at ${existing.server}\nkubeconfig: ${kubeconfig}\n`);
    return;
  }
  await down();
  const plane = await startControlPlane({ dir: clusterDir, detached: true });
  const state: State = { pids: plane.procs.map((p) => p.pid), server: plane.server };
  fs.writeFileSync(stateFile, JSON.stringify(state));
  fs.copyFileSync(plane.kubeconfigPath, kubeconfig);
  await installCrds(kubeconfig);
  process.stdout.write(
    `kube-apiserver ${plane.server} is up with the Turnpike CRDs installed.\n` +
      `  export KUBECONFIG=${kubeconfig}\n  kubectl apply -f examples/\n` +
      `Logs: ${path.join(clusterDir, 'logs')}. Stop it with: make cluster-down\n`,
  );
}

async function down(): Promise<void> {
  const state = readState();
  // The API server first, then etcd, each given a few seconds to exit cleanly.
  for (const pid of [...(state?.pids ?? [])].reverse()) {
    if (!alive(pid)) continue;
    process.kill(pid, 'SIGTERM');
    try {
      await waitFor(() => !alive(pid), { what: `process ${pid} to exit`, timeoutMs: 10_000 });
    } catch {
      process.kill(pid, 'SIGKILL');
    }
  }
  fs.rmSync(stateFile, { force: true });
  fs.rmSync(kubeconfig, { force: true });
  fs.rmSync(clusterDir, { recursive: true, force: true });
  if (state !== undefined) process.stdout.write('cluster stopped\n');
}

const command = process.argv[2];
const run = command === 'up' ? up : command === 'down' ? down : undefined;
if (run === undefined) {
  process.stderr.write('usage: cluster.js up|down\n');
  process.exit(2);
}
run().catch((err: unknown) => {
  process.stderr.write(`cluster ${command ?? ''}: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
