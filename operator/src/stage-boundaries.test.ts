// eslint/boundaries.mjs, run as `npm run lint` runs it: it must refuse an import across a stage
// boundary (an unresolved import would pass silently, so the allowed cases prove resolution works).
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const ESLINT = path.join(path.dirname(require.resolve('eslint/package.json')), 'bin', 'eslint.js');

/** What ESLint reports for `source` as if it were the file `file` (relative to the repository). */
function problems(file: string, source: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ESLINT, '-c', 'eslint/boundaries.mjs', '--format', 'json', '--stdin', '--stdin-filename', file], { cwd: ROOT });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('error', reject);
    child.on('close', () => {
      const [result] = JSON.parse(out) as { messages: { ruleId: string | null; message: string }[] }[];
      resolve((result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`));
    });
    child.stdin.end(source);
  });
}

describe('stage boundaries', () => {
  it.concurrent.each([
    ['xds-server/src/ir/probe.ts', "import { translateIR } from '../translate';"],
    ['xds-server/src/translate/probe.ts', "import { defaultRegistry } from '../proto/registry';"],
    ['operator/src/validate/probe.ts', "import { Pipeline } from '../pipeline';"],
    ['operator/src/pipeline/probe.ts', "import { translateIR } from '../../../xds-server/src/translate';"],
    ['operator/src/kube/probe.ts', "import { informersProvider } from '../provider/informers';"],
    ['operator/src/translate/probe.ts', "import { filesProvider } from '../provider/files';"],
  ])('%s may not %s', async (file, source) => {
    expect(await problems(file, source)).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: Unexpected path/)]);
  });

  it.concurrent.each([
    ['xds-server/src/translate/probe.ts', "import { RELEASE } from '../ir';\nimport { TYPE_URLS } from '../proto/type-urls';"],
    ['operator/src/status/probe.ts', "import { backoffDelay } from '../kube/backoff';"],
    ['operator/src/translate/probe.ts', "import { objectKey } from '../resources/resourceset';"],
  ])('%s may %s', async (file, source) => {
    expect(await problems(file, source)).toEqual([]);
  });
});
