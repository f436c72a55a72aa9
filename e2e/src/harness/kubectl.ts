import { execFile } from 'node:child_process';
import { binary } from './bins';

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs kubectl against a kubeconfig; never throws for a non-zero exit (callers assert on it). */
export function kubectl(kubeconfigPath: string, args: readonly string[], stdin?: string): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      binary('kubectl'),
      ['--kubeconfig', kubeconfigPath, ...args],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
  });
}

/** Like kubectl(), but throws with kubectl's stderr when the command fails. */
export async function kubectlOk(kubeconfigPath: string, args: readonly string[], stdin?: string): Promise<string> {
  const result = await kubectl(kubeconfigPath, args, stdin);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout;
}
