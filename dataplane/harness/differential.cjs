// Differential checks against the TypeScript this crate reproduces, transpiled with the
// repository's TypeScript: (1) random raw paths and queries (escapes valid and not, `+`, UTF-8,
// lone `%`, empty and repeated names, non-BMP characters) through sdk/js/src/canonical.ts and
// apig-auth (examples/canonical_stdio.rs); (2) random signed requests, then tampered (method,
// path, query, headers, body, date, Authorization edits, the clock around ±15 minutes), through
// authz/src/verify/signature.ts and apig-auth (examples/verify_stdio.rs): same verdict, same
// message. Prints mismatches and a closing 'N passed, N failed'.
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
const sdk = load(path.join(root, 'sdk/js/src/index.ts'));
const { verifySignature } = load(path.join(root, 'authz/src/verify/signature.ts'));

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

// (2) Whole verifications.
const APPS = { '071fe245-9cf6-4d75-822d-c29945a1e06a': 'c6e52419-2270-4cb8-8bd4-ae7fdd01dcd5', k2: 's2' };
const NOW = Date.UTC(2023, 4, 27, 1, 54, 31);
const pick = (list) => list[random(list.length)];
const AUTH_PIECES = [' ', ',', ', ', ';', '=', 'Access=', 'SignedHeaders=', 'Signature=', 'host', 'x-sdk-date', '0', 'f', 'G', 'A', '\u00a0', '\u3000', '\ufeff', '\u0085', 'x-\u00e9', 'k2'];
function edit(text) {
  const at = random(text.length + 1);
  switch (random(3)) {
    case 0: return text.slice(0, at) + pick(AUTH_PIECES) + text.slice(at);
    case 1: return text.slice(0, at) + text.slice(at + 1 + random(5));
    default: return text.slice(0, at) + pick(AUTH_PIECES).slice(0, 1) + text.slice(at + 1);
  }
}
const requests = [];
while (requests.length < total / 2) {
  const key = random(5) === 0 ? 'k2' : '071fe245-9cf6-4d75-822d-c29945a1e06a';
  const method = pick(['GET', 'POST', 'PUT', 'DELETE', 'patch']);
  const host = pick(['api.example.com', 'h:8080', 'xn--fiq.example']);
  let url;
  try {
    url = new URL(`http://${host}/${text(6).replace(/[#?]/g, '')}?${text(8).replace(/#/g, '')}`);
  } catch {
    continue;
  }
  const extra = {};
  if (random(2)) extra['Content-Type'] = 'application/json';
  if (random(2)) extra['X-Custom'] = text(3).replace(/[\r\n]/g, '');
  if (random(3) === 0) extra['X-B'] = `\u00a0${text(2)}\u3000`;
  const body = random(2) ? text(5) : '';
  let headers;
  try {
    headers = sdk.sign({ method, url: url.href, headers: extra, body, unsignedPayload: random(6) === 0, date: new Date(NOW) }, { key, secret: APPS[key] });
  } catch {
    continue;
  }
  let list = Object.entries({ ...headers, host: url.host }).map(([k, v]) => [k.toLowerCase(), v]);
  const request = { method, path: url.pathname, query: url.search.slice(1), body, now: NOW };
  for (let m = random(3); m > 0; m -= 1) {
    switch (random(11)) {
      case 0: request.method = pick(['GET', 'PUT', 'get', 'POST']); break;
      case 1: request.path += pick(['x', '/', '%20', '%2F']); break;
      case 2: request.query = request.query.replace(/%20/g, '+') || 'a=1'; break;
      case 3: request.query += pick(['&z=1', '&a=0', '&', '=']); break;
      case 4: list = list.filter(() => random(6) !== 0); break;
      case 5: list.push([pick(['x-custom', 'host', 'x-sdk-date', 'content-type']), text(2)]); break;
      case 6: list = list.map(([k, v]) => [k, k === 'x-sdk-date' ? pick(['20230527T015432Z', '20231327T015431Z', '', ' 20230527T015431Z ', '2023-05-27T01:54:31Z']) : v]); break;
      case 7: list = list.map(([k, v]) => [k, k === 'authorization' ? edit(v) : v]); break;
      case 8: request.now = NOW + pick([1, -1, 1000, -1000, 0]) * pick([1, 15 * 60 * 1000]) + pick([0, 1, -1]); break;
      case 9: request.body += 'x'; break;
      default: list.push(['x-sdk-content-sha256', 'UNSIGNED-PAYLOAD']); break;
    }
  }
  requests.push({ ...request, headers: list });
}
const verdicts = execFileSync(example('verify_stdio'), { input: requests.map((r) => `${JSON.stringify(r)}\n`).join(''), encoding: 'utf8', maxBuffer: 1 << 28 }).split('\n');
requests.forEach((r, i) => {
  const header = (name) => {
    const values = r.headers.filter(([n]) => n === name).map(([, v]) => v);
    return values.length === 0 ? undefined : values.join(',');
  };
  const result = verifySignature({ method: r.method, path: r.path, query: r.query, header, body: Buffer.from(r.body) }, (k) => APPS[k], r.now);
  const expected = (result.ok ? `ok ${result.appKey}` : result.denial.message).replace(/\n/g, '\\n');
  if (verdicts[i] === expected) {
    passed += 1;
    return;
  }
  failed += 1;
  if (failed <= 40) console.log(`MISMATCH verify ${JSON.stringify(r)}\n  js:   ${expected}\n  rust: ${verdicts[i]}`);
});
const accepted = verdicts.filter((v) => v.startsWith('ok ')).length;
console.log(`verifications: ${requests.length} (${accepted} accepted by both sides where they agree)`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
