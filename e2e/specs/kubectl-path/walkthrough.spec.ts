// docs/getting-started.md §2 as a user runs it: hack/walkthrough-cluster.sh, the very commands the
// doc shows (make cluster-up, kubectl apply/wait/get/patch, curl, turnpike call, make cluster-down),
// on the real components. Every output the doc shows is checked here, and cluster-down must leave
// no process behind. Isolation from parallel specs: a temporary state directory, free ports, and
// a copy of examples/ whose #port# variables point at this run's demo backends.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, repoRoot } from '../../src';

/** Names (/proc/<pid>/comm) of the live processes whose environment carries `marker`. */
function processesWith(marker: string): string[] {
  return fs.readdirSync('/proc').filter((d) => /^[0-9]+$/.test(d) && d !== String(process.pid)).flatMap((d) => {
    try {
      if (fs.readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') === true) return [];
      const environ = fs.readFileSync(`/proc/${d}/environ`, 'utf8').split('\0');
      return environ.includes(marker) ? [fs.readFileSync(`/proc/${d}/comm`, 'utf8').trim()] : [];
    } catch {
      return [];
    }
  });
}

/** Live members of the process groups led by `pgids` (each process cluster-up starts leads one). */
function groupMembers(pgids: readonly number[]): string[] {
  return fs.readdirSync('/proc').filter((d) => /^[0-9]+$/.test(d)).flatMap((d) => {
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return fields[0] !== 'Z' && pgids.includes(Number(fields[2])) ? [`${d} ${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}`] : [];
    } catch {
      return [];
    }
  });
}

describe('the kubectl path, locally, end to end (hack/walkthrough-cluster.sh)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-kubectl-path-'));
  const stateDir = path.join(dir, 'state');
  const examples = path.join(dir, 'examples');
  let env: Record<string, string> = {};
  let httpPort = 0;
  let demo: [number, number] = [0, 0];
  let output = '';
  let code: number | null = null;
  /** Processes of the running cluster, seen while the walk-through was at step 2. */
  let running: string[] = [];
  /** The pids cluster-up recorded in <state>/cluster.json, read while the walk-through was at step 2. */
  let recorded: number[] = [];

  beforeAll(async () => {
    fs.cpSync(path.join(repoRoot, 'examples'), examples, { recursive: true });
    demo = [await freePort(), await freePort()];
    const groupFile = path.join(examples, '00-apigroup.yaml');
    fs.writeFileSync(groupFile, fs.readFileSync(groupFile, 'utf8').replace('"18080"', `"${demo[0]}"`).replace('"18081"', `"${demo[1]}"`));
    httpPort = await freePort();
    env = {
      TURNPIKE_STATE_DIR: stateDir, TURNPIKE_EXAMPLES: examples, TURNPIKE_HTTP_PORT: String(httpPort),
      TURNPIKE_HTTPS_PORT: String(await freePort()), TURNPIKE_XDS_PORT: String(await freePort()),
      TURNPIKE_DEMO_BACKENDS: `${demo[0]},${demo[1]}`,
    };
    const child = spawn('bash', [path.join(repoRoot, 'hack', 'walkthrough-cluster.sh')], {
      cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const seen = new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        // Between cluster-up's banner and cluster-down everything runs: look at it once.
        if (running.length === 0 && output.includes('## 2. kubectl apply')) {
          const state = JSON.parse(fs.readFileSync(path.join(stateDir, 'cluster.json'), 'utf8')) as { procs: { pid: number }[] };
          recorded = state.procs.map((p) => p.pid);
          running = groupMembers(recorded).map((p) => p.split(' ')[1] ?? '');
        }
      });
      child.stdout.once('end', resolve);
    });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    await seen;
  }, 420_000);

  afterAll(() => {
    if (code !== 0) process.stderr.write(`walk-through output:\n${output}\n`);
    // The script stops the cluster itself, also when a step fails; this covers it being killed.
    if (fs.existsSync(path.join(stateDir, 'cluster.json'))) {
      execFileSync(process.execPath, [path.join(repoRoot, 'e2e', 'dist', 'src', 'cli', 'cluster.js'), 'down'], { env: { ...process.env, ...env }, stdio: 'inherit' });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs to the end', () => {
    expect(code).toBe(0);
  });

  it('make cluster-up prints the kubeconfig to export and the URL to call', () => {
    expect(output).toContain('Turnpike is up: kube-apiserver https://127.0.0.1:');
    expect(output).toContain('the operator as ServiceAccount turnpike-system/turnpike-operator');
    expect(output).toContain(`  export KUBECONFIG=${stateDir}/kubeconfig\n`);
    expect(output).toContain(`  curl http://demo.default.apigw.localhost:${httpPort}/hello\n`);
    expect(output).toContain('Stop everything with: make cluster-down');
  });

  it('runs every component as a local process', () => {
    for (const name of ['etcd', 'kube-apiserver', 'redis-server', 'ratelimit', 'envoy']) expect(running).toContain(name);
    // The operator, `turnpike envoy` and the two demo backends.
    expect(running.filter((n) => n === 'node').length).toBe(4);
  });

  it('kubectl get turnpike shows every example Accepted and Programmed', () => {
    const rows = output.split('\n').filter((l) => /^\S+\.turnpike\.dev\/\S+\s/.test(l) && !/ (created|configured|patched|condition met)$/.test(l));
    const names = rows.map((l) => l.split(/\s+/)[0]).sort();
    expect(names).toEqual([
      'aclpolicy.turnpike.dev/get-user-blocklist', 'api.turnpike.dev/create-order', 'api.turnpike.dev/get-user',
      'api.turnpike.dev/hello', 'api.turnpike.dev/static-files', 'apigroup.turnpike.dev/demo', 'app.turnpike.dev/demo-client',
      'signaturekey.turnpike.dev/demo-backend', 'throttlepolicy.turnpike.dev/demo-default',
    ]);
    for (const row of rows) expect(row).toMatch(/\sTrue\s+True\s+\S+$/);
  });

  it('answers the calls of §1', () => {
    expect(output).toContain('{"message":"hello from turnpike"}');
    expect(output).toContain(`{"backend":"demo-${demo[0]}","method":"GET","path":"/api/users/42"`);
    expect(output).toContain(`{"backend":"demo-${demo[1]}","method":"GET","path":"/api/users/42"`);
    expect(output).toContain('HTTP/1.1 404 Not Found');
    expect(output).toContain('"error_code":"APIG.0101"');
    // The signed call: authenticated as the demo App, and the backend request signed by the gateway.
    expect(output).toContain('HTTP 200 OK');
    expect(output).toContain(`{"backend":"demo-${demo[0]}","method":"POST","path":"/api/orders"`);
    expect(output).toContain('"x-turnpike-app-name":"demo-client"');
    expect(output).toContain('"authorization":"SDK-HMAC-SHA256 Access=demo-backend-key, SignedHeaders=host;x-sdk-date, Signature=');
  });

  it('serves a kubectl patch within a second', () => {
    // The script gives the edit one second (timeout 1) and fails otherwise.
    expect(output).toMatch(/api\.turnpike\.dev\/hello patched\n\{"message":"hello again"\}\n/);
  });

  it('make cluster-down stops everything it started and leaves nothing behind', () => {
    expect(output).toContain('stopped 8 processes (etcd, kube-apiserver, redis, ratelimit, ');
    expect(recorded).toHaveLength(8);
    expect(groupMembers(recorded)).toEqual([]);
    // Nor anything else started with this state directory (all but Redis, which rewrites its
    // environment with its process title, inherit it).
    expect(processesWith(`TURNPIKE_STATE_DIR=${stateDir}`)).toEqual([]);
    expect(fs.existsSync(path.join(stateDir, 'cluster.json'))).toBe(false);
    expect(fs.existsSync(path.join(stateDir, 'kubeconfig'))).toBe(false);
    expect(fs.existsSync(path.join(stateDir, 'cluster'))).toBe(false);
  });
});
