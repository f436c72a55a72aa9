// Differential check against the signer's TypeScript (the canonical form both sides must agree
// on), transpiled with the repository's TypeScript: random raw paths and queries (escapes valid
// and not, `+`, UTF-8, lone `%`, empty and repeated names, non-BMP characters) through
// sdk/js/src/canonical.ts and apig-auth (examples/canonical_stdio.rs). Prints mismatches and a
// closing 'N passed, N failed'.
// Usage: node dataplane/harness/differential.cjs [cases=20000]   (TYPESCRIPT=/path/to/typescript to override)
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const root = path.resolve(__dirname, '../..');
const ts = require(process.env.TYPESCRIPT || require.resolve('typescript', { paths: [root] }));

/** Loads a TypeScript module of the repository (relative imports and @turnpike/sdk resolved). */
const modules = new Map();
function load(file) {
  if (modules.has(file)) return modules.get(file);
  const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exports = {};
  modules.set(file, exports);
  const localRequire = (name) => {
    if (name === '@turnpike/sdk') return load(path.join(root, 'sdk/js/src/index.ts'));
    if (name.startsWith('.')) return load(path.resolve(path.dirname(file), `${name}.ts`));
    return require(name);
  };
  new Function('exports', 'require', js)(exports, localRequire);
  return exports;
}
const canonical = load(path.join(root, 'sdk/js/src/canonical.ts'));

function example(name) {
  return execFileSync('cargo', ['build', '--quiet', '--release', '--example', name, '--message-format', 'json'], { cwd: path.join(root, 'dataplane'), encoding: 'utf8' })
    .split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((m) => m.reason === 'compiler-artifact' && m.target.name === name).executable;
}

let seed = Number(process.env.SEED || 0x2545f491) >>> 0 || 1;
const random = (n) => {
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return seed % n;
};
const PIECES = ['a', 'Z', '0', '-', '_', '.', '~', ' ', '+', '%', '%2', '%20', '%2B', '%2F', '%25', '%zz', '%E4%B8%AD', '%E4%B8', '%FF', '%C3%A9',
  '%F0%9F%98%80', '%ED%A0%80', '中', 'é', '😀', '\uFF21', '!', "'", '(', ')', '*', '/', '?', '#', '=', '&', '&&', '==', ';', ':', '@', '\\'];
const text = (max) => Array.from({ length: random(max + 1) }, () => PIECES[random(PIECES.length)]).join('');
const escape = (s) => s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');

const total = Number(process.argv[2] || 20000);
const cases = [];
for (let i = 0; i < total; i += 1) {
  if (i % 2 === 0) cases.push(['uri', (random(4) === 0 ? '' : '/') + text(10)]);
  else cases.push(['query', text(14)]);
}
const rust = execFileSync(example('canonical_stdio'), { input: cases.map(([k, v]) => `${k}\t${escape(v)}\n`).join(''), encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n');
let failed = 0;
let passed = 0;
cases.forEach(([kind, raw], i) => {
  const expected = kind === 'uri' ? canonical.canonicalUri(raw) : canonical.canonicalQuery(canonical.parseQuery(raw));
  if (rust[i] === expected) {
    passed += 1;
    return;
  }
  failed += 1;
  if (failed <= 20) console.log(`MISMATCH ${kind} ${JSON.stringify(raw)}\n  js:   ${JSON.stringify(expected)}\n  rust: ${JSON.stringify(rust[i])}`);
});

console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
