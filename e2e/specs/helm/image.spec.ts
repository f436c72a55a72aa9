// The control-plane image, without a container engine: the Dockerfile's structure, the build
// context .dockerignore lets through, and the runtime stage replayed into a directory — its COPY
// lines, production dependencies only (from package-lock.json), the authn filter's native module
// as `make setup` built it — then run: the operator from that directory syncs with a real API server
// and reconciles, the demo backend answers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { NODE_FLAGS } from '@turnpike/operator';
import {
  authnModule, freePort, isListening, kubectl, kubectlOk, repoRoot, startProcess, startTestCluster, waitFor, type Proc, type TestCluster,
} from '../../src';
import { chartDir } from '../../src/harness/chart';
import { copies, dockerIgnore, imagePathFrom, parseDockerfile, stage, workdir, type Dockerfile, type Stage } from './dockerfile';

jest.setTimeout(120_000);

const dockerfile = parseDockerfile(fs.readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8'));
const runtime = dockerfile.stages[dockerfile.stages.length - 1]!;
const op = (s: Stage, name: string): string[] => s.instructions.filter((i) => i.op === name).map((i) => i.args);
const versions = Object.fromEntries(fs.readFileSync(path.join(repoRoot, 'versions.env'), 'utf8').split('\n')
  .filter((l) => /^[A-Z_]+=/.test(l)).map((l) => l.split('=') as [string, string]));

/** Where cargo writes the authn module in the authn stage: the library's name as a cdylib file name. */
const MODULE_OUTPUT = 'target/release/libturnpike_authn.so';

interface LockEntry { readonly dev?: boolean; readonly link?: boolean; readonly resolved?: string }

/** What the build stage's `find … -delete` leaves out of dist/, and the deps stage out of node_modules. */
const builtFile = (name: string): boolean => !/\.test\.|\.map$|\.d\.ts$/.test(name) && name !== 'testing';
const depFile = (name: string): boolean => !/\.d\.m?ts$|\.map$|\.md$/.test(name);

function copyTree(from: string, to: string, keep: (name: string) => boolean): void {
  fs.cpSync(from, to, { recursive: true, filter: (src) => src === from || (keep(path.basename(src)) && !path.relative(from, src).split(path.sep).includes('node_modules')) });
}

/** `npm ci --omit=dev` from the lockfile, with the repository's installed packages as the registry. */
function productionModules(target: string, app: string): void {
  const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.startsWith('node_modules/') || entry.dev === true) continue;
    const dest = path.join(target, key.slice('node_modules/'.length));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (entry.link === true) fs.symlinkSync(path.relative(path.dirname(dest), path.join(app, entry.resolved ?? '')), dest);
    else copyTree(path.join(repoRoot, key), dest, depFile);
  }
}

/** Replays the runtime stage's COPY lines into `app` (its WORKDIR). */
function replayRuntime(df: Dockerfile, app: string): void {
  for (const copy of copies(df.stages[df.stages.length - 1]!)) {
    if (copy.from === 'deps') {
      productionModules(path.join(app, copy.destination), app);
      continue;
    }
    if (copy.from === 'authn') {
      // What the authn stage builds is what hack/setup/authn.sh builds: take the cached module.
      expect(copy.sources).toEqual([path.posix.join(workdir(stage(df, 'authn')), MODULE_OUTPUT)]);
      fs.mkdirSync(path.dirname(path.join(app, copy.destination)), { recursive: true });
      fs.copyFileSync(authnModule(), path.join(app, copy.destination));
      continue;
    }
    for (const source of copy.sources) {
      const from = path.join(repoRoot, path.posix.relative('/src', source));
      const into = copy.destination.endsWith('/') || copy.destination === '.' || copy.destination === './';
      const to = fs.statSync(from).isDirectory() || !into ? path.join(app, copy.destination) : path.join(app, copy.destination, path.basename(from));
      copyTree(from, to, builtFile);
    }
  }
}

describe('control-plane image', () => {
  it('is multi-stage: compiled on Node, run on distroless Node as a non-root user, the CLI as entrypoint', () => {
    expect(dockerfile.stages.map((s) => s.name)).toEqual(['build', 'deps', 'authn', undefined]);
    expect(Number(dockerfile.args.get('NODE_VERSION'))).toBeGreaterThanOrEqual(22);
    expect(runtime.base).toBe('gcr.io/distroless/nodejs${NODE_VERSION}-debian12:nonroot');
    expect(op(runtime, 'WORKDIR')).toEqual(['/app']);
    expect(op(runtime, 'USER')).toEqual(['65532:65532']);
    expect(JSON.parse(op(runtime, 'ENTRYPOINT')[0]!)).toEqual(['/nodejs/bin/node', ...NODE_FLAGS, '/app/operator/dist/cli.js']);
    expect(JSON.parse(op(runtime, 'CMD')[0]!)).toEqual(['operator']);
    expect(dockerfile.stages.flatMap((s) => s.instructions).some((i) => i.op === 'ADD')).toBe(false);
    // Every COPY in the runtime stage takes from a named build stage, never from the context.
    expect(copies(runtime).every((c) => c.from === 'build' || c.from === 'deps' || c.from === 'authn')).toBe(true);
    // The ports it exposes are the chart's defaults for xDS and probes.
    const values = parse(fs.readFileSync(path.join(chartDir, 'values.yaml'), 'utf8')) as { controlPlane: { xdsPort: number; healthPort: number } };
    expect(op(runtime, 'EXPOSE')).toEqual([`${values.controlPlane.xdsPort} ${values.controlPlane.healthPort}`]);
  });

  it('builds the authn module as make setup does: the pinned toolchain, --locked, for the image\'s platform, from dataplane/', () => {
    const authn = stage(dockerfile, 'authn');
    expect(authn.base).toBe('rust:${RUST_VERSION}-slim-bookworm');
    expect(dockerfile.args.get('RUST_VERSION')).toBe(versions.RUST_TOOLCHAIN);
    // A native library: built on the platform of the image that carries it, not the build machine's.
    expect(authn.platform).toBeUndefined();
    const build = op(authn, 'RUN').map((r) => r.split(/\s+/)).find((words) => words[0] === 'cargo' && words[1] === 'build');
    expect(build).toEqual(['cargo', 'build', '--locked', '--release', '-p', 'authn-module']);
    // The workspace from the context, nothing else: manifests, lockfile and its crates.
    const workspace = path.posix.relative('/src', workdir(authn));
    expect(workspace).toBe('dataplane');
    const sources = copies(authn).flatMap((c) => { expect(c.from).toBeUndefined(); return c.sources; });
    expect(sources.every((s) => s.startsWith('dataplane/'))).toBe(true);
    expect(sources).toEqual(expect.arrayContaining(['dataplane/Cargo.toml', 'dataplane/Cargo.lock']));
    const manifest = fs.readFileSync(path.join(repoRoot, 'dataplane', 'Cargo.toml'), 'utf8');
    const members = /members\s*=\s*\[([^\]]*)\]/.exec(manifest)?.[1]?.match(/"[^"]+"/g)?.map((m) => `dataplane/${m.slice(1, -1)}`) ?? [];
    expect(members.length).toBeGreaterThan(0);
    expect(sources).toEqual(expect.arrayContaining(members));
    // The runtime stage takes the module cargo wrote, under the name Envoy's pods copy.
    expect(copies(runtime).filter((c) => c.from === 'authn')).toEqual([
      { from: 'authn', sources: [path.posix.join(workdir(authn), MODULE_OUTPUT)], destination: 'dataplane/libturnpike_authn.so' },
    ]);
    expect(imagePathFrom(dockerfile, 'authn')).toBe('/app/dataplane/libturnpike_authn.so');
  });

  it('copies only paths that exist and that .dockerignore lets into the context, which holds no build output', () => {
    const ignored = dockerIgnore(path.join(repoRoot, '.dockerignore'));
    const fromContext = dockerfile.stages.flatMap((s) => copies(s)).filter((c) => c.from === undefined).flatMap((c) => c.sources);
    expect(fromContext.length).toBeGreaterThan(5);
    for (const source of fromContext) {
      const exists = fs.existsSync(path.join(repoRoot, source));
      expect({ source, exists, ignored: ignored(source) }).toEqual({ source, exists: true, ignored: false });
    }
    for (const needed of [
      'xds-server/src/index.ts', 'xds-server/protos/descriptor.json', 'operator/src/cli.ts', 'crds/turnpike.dev_apis.yaml', 'sdk/js/package.json', 'e2e/package.json',
      'dataplane/Cargo.toml', 'dataplane/Cargo.lock', 'dataplane/authn-module/src/lib.rs', 'dataplane/apig-auth/src/lib.rs',
    ]) {
      expect({ needed, ignored: ignored(needed) }).toEqual({ needed, ignored: false });
    }
    for (const excluded of [
      'node_modules/yaml/package.json', 'operator/dist/cli.js', 'xds-server/node_modules/x', 'operator/tsconfig.tsbuildinfo', 'xds-server/testdata/golden/a.json',
      '.git/HEAD', 'e2e/src/index.ts', 'charts/turnpike/Chart.yaml', '.turnpike/kubeconfig', `dataplane/${MODULE_OUTPUT}`, 'dataplane/target/release/libapig_auth.rlib',
    ]) {
      expect({ excluded, ignored: ignored(excluded) }).toEqual({ excluded, ignored: true });
    }
  });

  describe('runtime stage, replayed into a directory', () => {
    let cluster: TestCluster;
    let dir: string;
    let app: string;
    const procs: Proc[] = [];

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-image-'));
      app = path.join(dir, 'app');
      replayRuntime(dockerfile, app);
      cluster = await startTestCluster();
    });

    afterAll(async () => {
      for (const proc of procs) await proc.stop();
      await cluster.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    const run = (name: string, args: readonly string[]): Proc => {
      // node, its flags, the CLI.
      const [, ...nodeArgs] = JSON.parse(op(runtime, 'ENTRYPOINT')[0]!) as string[];
      const cli = path.join(app, path.posix.relative('/app', nodeArgs.pop()!));
      // The runtime stage's ENV lines (KEY=value), as the container would have them.
      const env = Object.fromEntries(op(runtime, 'ENV').map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
      const proc = startProcess({ name, command: process.execPath, args: [...nodeArgs, cli, ...args], cwd: app, logDir: dir, env });
      procs.push(proc);
      return proc;
    };

    it('holds no tests, source maps or development-only packages', () => {
      expect(fs.existsSync(path.join(app, 'operator', 'dist', 'config.test.js'))).toBe(false);
      expect(fs.existsSync(path.join(app, 'node_modules', 'jest'))).toBe(false);
      expect(fs.existsSync(path.join(app, 'node_modules', 'typescript'))).toBe(false);
      expect(fs.existsSync(path.join(app, 'node_modules', 'prom-client'))).toBe(true);
      expect(fs.realpathSync(path.join(app, 'node_modules', '@turnpike', 'xds-server'))).toBe(path.join(app, 'xds-server'));
    });

    it('holds the authn filter\'s native module where the chart\'s Envoy pods copy it from', () => {
      const module = fs.readFileSync(path.join(app, path.posix.relative('/app', imagePathFrom(dockerfile, 'authn'))));
      // \x7fELF, 64-bit, shared object (e_type 3).
      expect([...module.subarray(0, 5)]).toEqual([0x7f, 0x45, 0x4c, 0x46, 0x02]);
      expect(module.readUInt16LE(16)).toBe(3);
    });

    it('runs `turnpike operator`: informers sync (readyz), xDS listens, examples are reconciled', async () => {
      const ns = await cluster.namespace('image');
      await kubectlOk(cluster.kubeconfigPath, ['apply', '-n', ns, '-f', path.join(repoRoot, 'examples')]);
      const [xds, health] = [await freePort(), await freePort()];
      const proc = run('operator-image', [
        'operator', '--kubeconfig', cluster.kubeconfigPath, '--xds-host', '127.0.0.1', '--xds-port', String(xds), '--health-port', String(health),
        '--listen-address', '127.0.0.1', '--lease-namespace', ns, '--identity', 'image-test',
      ]);
      await waitFor(async () => {
        if (!proc.isRunning()) throw new Error(`the operator exited:\n${fs.readFileSync(proc.logFile, 'utf8').slice(-3000)}`);
        return (await fetch(`http://127.0.0.1:${health}/readyz`)).status === 200;
      }, { what: 'the replayed image\'s operator to be ready', timeoutMs: 30_000 });
      expect(await isListening(xds)).toBe(true);
      await waitFor(async () => (await kubectl(cluster.kubeconfigPath, ['get', 'apis.turnpike.dev', 'hello', '-n', ns, '-o', 'jsonpath={.status.conditions[?(@.type=="Accepted")].status}'])).stdout === 'True',
        { what: 'the example Api to be Accepted by the replayed image\'s operator' });
      // Logs are JSON lines only (no runtime warnings mixed in).
      const lines = fs.readFileSync(proc.logFile, 'utf8').split('\n').filter((l) => l !== '');
      expect(lines.filter((l) => !l.startsWith('{'))).toEqual([]);
    });

    it('runs `turnpike demo-backend` (the chart\'s quick-start sidecar)', async () => {
      const port = await freePort();
      const proc = run('demo-image', ['demo-backend', '--port', String(port)]);
      await waitFor(async () => {
        if (!proc.isRunning()) throw new Error('demo-backend exited');
        return isListening(port);
      }, { what: 'the demo backend from the replayed image' });
    });
  });
});
