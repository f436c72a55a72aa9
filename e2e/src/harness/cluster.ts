import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startControlPlane, type ControlPlane } from './controlplane';
import { kubectlOk } from './kubectl';

/** The repository root (e2e/src/harness → ../../..), also when run from e2e/dist/src/harness. */
export const repoRoot = ((): string => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'versions.env'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the repository root (versions.env)');
    dir = parent;
  }
  return dir;
})();

/** Applies crds/ and waits until every CRD is Established. */
export async function installCrds(kubeconfigPath: string): Promise<void> {
  const crds = path.join(repoRoot, 'crds');
  await kubectlOk(kubeconfigPath, ['apply', '--server-side', '-f', crds]);
  await kubectlOk(kubeconfigPath, ['wait', '--for=condition=Established', '--timeout=60s', '-f', crds]);
}

/** A control plane with the CRDs installed, for one test file. */
export interface TestCluster extends ControlPlane {
  /** Creates a fresh namespace (one per suite keeps suites isolated) and returns its name. */
  namespace(prefix: string): Promise<string>;
}

let counter = 0;

/** Starts etcd + kube-apiserver in a temporary directory and installs the CRDs. */
export async function startTestCluster(): Promise<TestCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-e2e-'));
  const plane = await startControlPlane({ dir });
  try {
    await installCrds(plane.kubeconfigPath);
  } catch (err) {
    await plane.stop();
    throw err;
  }
  return {
    ...plane,
    namespace: async (prefix: string) => {
      counter += 1;
      const name = `${prefix}-${process.pid}-${counter}`;
      await kubectlOk(plane.kubeconfigPath, ['create', 'namespace', name]);
      return name;
    },
    stop: async () => {
      await plane.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
