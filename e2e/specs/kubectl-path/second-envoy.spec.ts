// getting-started §2 "Another Envoy by hand": `turnpike envoy` joins the fleet of the operator that
// `make cluster-up` runs, on the same host. Both Envoys bind the listener port the control plane
// chose (SO_REUSEPORT), only their admin ports differ, and Programmed=True after an edit means both
// hold it. Isolated like walkthrough.spec.ts: a temporary state directory and free ports.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, kubectlOk, repoRoot, startProcess, tail, waitFor, type Proc } from '../../src';

interface Condition { type: string; status: string; observedGeneration?: number }
interface Obj { metadata: { generation: number }; status?: { conditions?: Condition[] } }

const cli = path.join(repoRoot, 'operator', 'dist', 'cli.js');
const clusterJs = path.join(repoRoot, 'e2e', 'dist', 'src', 'cli', 'cluster.js');

function run(args: readonly string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...args], { env: { ...process.env, ...env }, cwd: repoRoot }, (err, stdout, stderr) => {
      if (err === null) resolve(stdout);
      else reject(new Error(`${args.join(' ')}: ${err.message}\n${stdout}${stderr}`));
    });
  });
}

async function get(url: string): Promise<string> {
  const res = await fetch(url);
  return res.ok ? res.text() : '';
}

describe('a second Envoy by hand: turnpike envoy against the cluster-up operator', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-second-envoy-'));
  const stateDir = path.join(dir, 'state');
  const kubeconfig = path.join(stateDir, 'kubeconfig');
  let env: Record<string, string> = {};
  let httpPort = 0;
  let xdsPort = 0;
  let second: Proc | undefined;
  const admins: string[] = [];

  beforeAll(async () => {
    const examples = path.join(dir, 'examples');
    fs.cpSync(path.join(repoRoot, 'examples'), examples, { recursive: true });
    const demo = [await freePort(), await freePort()];
    const groupFile = path.join(examples, '00-apigroup.yaml');
    fs.writeFileSync(groupFile, fs.readFileSync(groupFile, 'utf8').replace('"18080"', `"${demo[0]}"`).replace('"18081"', `"${demo[1]}"`));
    [httpPort, xdsPort] = [await freePort(), await freePort()];
    env = {
      TURNPIKE_STATE_DIR: stateDir, TURNPIKE_HTTP_PORT: String(httpPort), TURNPIKE_HTTPS_PORT: String(await freePort()),
      TURNPIKE_XDS_PORT: String(xdsPort), TURNPIKE_DEMO_BACKENDS: demo.join(','),
    };
    await run([clusterJs, 'up'], env);
    await kubectlOk(kubeconfig, ['apply', '-f', examples]);
    await kubectlOk(kubeconfig, ['wait', '--for=condition=Programmed', '--timeout=60s', 'turnpike', '--all']);
  }, 180_000);

  afterAll(async () => {
    await second?.stop();
    await run([clusterJs, 'down'], env);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('joins the fleet and binds the same listener port; only the admin port differs', async () => {
    const envoyDir = path.join(dir, 'envoy-2');
    second = startProcess({ name: 'turnpike-envoy-2', command: process.execPath, args: [cli, 'envoy', '--xds', `127.0.0.1:${xdsPort}`, '--node-id', 'envoy-2', '--state-dir', envoyDir], logDir: dir });
    const started = second;
    const adminFile = path.join(envoyDir, 'envoy-admin.addr');
    const admin = await waitFor(async () => {
      if (!started.isRunning()) throw new Error(`turnpike envoy exited:\n${tail(started.logFile)}`);
      if (!fs.existsSync(adminFile)) return undefined;
      const url = `http://${fs.readFileSync(adminFile, 'utf8').trim()}`;
      return (await get(`${url}/ready`)).trim() === 'LIVE' ? url : undefined;
    }, { what: 'the second Envoy to be LIVE' });
    const first = `http://${fs.readFileSync(path.join(stateDir, 'cluster', 'envoy', 'envoy-admin.addr'), 'utf8').trim()}`;
    admins.push(first, admin);
    expect(admin).not.toBe(first);
    for (const url of admins) expect(await get(`${url}/listeners`)).toContain(`127.0.0.1:${httpPort}`);
    expect(fs.readFileSync(started.logFile, 'utf8')).toContain('Envoy envoy-2 (fleet turnpike) started against xDS');
  });

  it('reports Programmed=True after an edit only once both Envoys hold it', async () => {
    expect(admins).toHaveLength(2);
    await kubectlOk(kubeconfig, ['patch', 'api', 'hello', '--type', 'merge', '-p', '{"spec":{"backend":{"mock":{"body":"second envoy edit"}}}}']);
    await waitFor(async () => {
      const api = JSON.parse(await kubectlOk(kubeconfig, ['get', 'api', 'hello', '-o', 'json'])) as Obj;
      const programmed = api.status?.conditions?.find((c) => c.type === 'Programmed');
      return programmed?.status === 'True' && programmed.observedGeneration === api.metadata.generation;
    }, { what: 'Programmed=True at the new generation', intervalMs: 50 });
    for (const url of admins) expect(await get(`${url}/config_dump`)).toContain('second envoy edit');
  });
});
