// Stage boundaries (docs/architecture.md): which folder may import which. A stage lists what it
// may use; importing any other stage of its package is an error. Tests and test helpers
// (testing/, testing.ts) may reach across. Import cycles, type-only ones included, are found by
// dpdm (`npm run lint:cycles`, part of `npm run lint`).
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

const XDS = 'xds-server/src';
const OP = 'operator/src';

/** xds-server: IR → Envoy resources → snapshots → ADS; proto encodes, errors is the APIG catalog. */
const XDS_STAGES = {
  ir: [],
  errors: [],
  proto: [],
  bootstrap: [],
  // From proto only the type URLs and the JSON types: translation is pure and encodes nothing.
  translate: ['ir', 'errors', { stage: 'proto', only: ['type-urls.ts', 'json.ts'] }],
  snapshot: ['proto'],
  ads: ['proto', 'snapshot'],
};

/**
 * operator: provider → validate → translate → IR (pipeline serves it); status, leader, credentials
 * beside. resources: the ResourceSet every stage passes on; kube: the generic Kubernetes client
 * helpers (backoff, errors, request options).
 */
const OP_STAGES = {
  api: [],
  resources: ['api'],
  kube: [],
  provider: ['api', 'kube', 'resources'],
  // translate/types.ts: validate-fn.ts adapts validation to translate's ValidateFn type.
  validate: ['api', 'resources', { stage: 'translate', only: ['types.ts'] }],
  translate: ['api', 'validate', 'resources'],
  pipeline: ['translate', 'resources'],
  status: ['api', 'kube', 'resources'],
  leader: ['kube'],
  credentials: ['api', 'kube', 'resources'],
};
/** Commands: they compose stages, no stage imports them. */
const OP_COMMANDS = ['call', 'demo', 'envoy'];

/** The zones forbidding each stage of `stages` (under `root`) every stage it does not list. */
function zones(root, stages, commands = []) {
  const names = [...Object.keys(stages), ...commands];
  const describe = (a) => (typeof a === 'string' ? a : `${a.stage}/{${a.only.join(',')}}`);
  return Object.entries(stages).flatMap(([stage, allowed]) => {
    const message = `${root}/${stage} may import only: ${allowed.map(describe).join(', ') || 'nothing'} of ${root} (eslint/boundaries.mjs).`;
    return names
      .filter((other) => other !== stage && !allowed.includes(other))
      .map((other) => {
        const partial = allowed.find((a) => typeof a !== 'string' && a.stage === other);
        const except = partial === undefined ? {} : { except: partial.only.map((file) => `./${file}`) };
        return { target: `${root}/${stage}`, from: `${root}/${other}`, message, ...except };
      });
  });
}

const SOURCES = [`${XDS}/**/*.ts`, `${OP}/**/*.ts`];
const TESTS = ['**/*.test.ts', '**/testing/**', '**/testing.ts'];

export default [
  {
    files: SOURCES,
    ignores: TESTS,
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      'import-x/no-restricted-paths': ['error', {
        basePath: `${import.meta.dirname}/..`,
        zones: [
          ...zones(XDS, XDS_STAGES),
          ...zones(OP, OP_STAGES, OP_COMMANDS),
          // The IR is the contract: the operator reaches xds-server only through its package entry.
          { target: OP, from: XDS, message: "import '@turnpike/xds-server', not its files." },
          { target: XDS, from: ['operator', 'e2e', 'bench'], message: 'xds-server depends on no other package of the repository.' },
        ],
      }],
    },
  },
];
