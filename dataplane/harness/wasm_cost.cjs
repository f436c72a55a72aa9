// The filter's own work per request, measured in Node's V8 with a stub proxy-wasm host (no Envoy):
// what one APP request costs inside the VM (header decoding, route facts, the decision, the
// crypto) as opposed to Envoy's side of each host call. A measurement, not a test.
// Usage: node wasm_cost.cjs [path/to/turnpike-authn.wasm] (default ~/.cache/turnpike/bin/…)
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const path = require('path');

const wasmPath = process.argv[2] || path.join(process.env.TURNPIKE_CACHE || path.join(process.env.HOME, '.cache/turnpike'), 'bin/turnpike-authn.wasm');
const KEY = '071fe245-9cf6-4d75-822d-c29945a1e06a';
const SECRET = 'c6e52419-2270-4cb8-8bd4-ae7fdd01dcd5';
const config = JSON.stringify({
  apps: [{ id: 'team/client', app_key: KEY, app_secret: SECRET, grants: [{ kind: 'API', target: 'team/orders', environments: ['RELEASE'] }] }]
    .concat(Array.from({ length: 1000 }, (_, i) => ({ id: `team/app${i}`, app_key: `key-${i}`, app_secret: `s-${i}`, app_codes: [`code-${i}`] }))),
});

// Protobuf: envoy.config.core.v3.Metadata { filter_metadata["turnpike.authn"] = Struct of strings }.
const varint = (n) => { const out = []; while (n > 127) { out.push((n & 127) | 128); n >>>= 7; } out.push(n); return Buffer.from(out); };
const field = (tag, bytes) => Buffer.concat([varint((tag << 3) | 2), varint(bytes.length), bytes]);
const text = (s) => Buffer.from(s, 'utf8');
function metadata(facts) {
  const fields = Object.entries(facts).map(([k, v]) => field(1, Buffer.concat([field(1, text(k)), field(2, field(3, text(v)))])));
  return field(1, Buffer.concat([field(1, text('turnpike.authn')), field(2, Buffer.concat(fields))]));
}
const routeMetadata = metadata({ api: 'team/orders', group: 'team/shop', environment: 'RELEASE', auth: 'APP', app_code: 'false', tls: 'false' });

// A signed GET as Envoy hands it over.
const date = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
const sha = (s) => crypto.createHash('sha256').update(s).digest('hex');
const canonical = ['GET', '/orders/list/', 'a=1&b=2&limit=10', `content-type:application/json\nhost:api.example.com\nx-sdk-date:${date}\n`, 'content-type;host;x-sdk-date', sha('')].join('\n');
const signature = crypto.createHmac('sha256', SECRET).update(`SDK-HMAC-SHA256\n${date}\n${sha(canonical)}`).digest('hex');
const headers = [
  [':authority', 'api.example.com'], [':path', '/orders/list?limit=10&b=2&a=1'], [':method', 'GET'], [':scheme', 'http'],
  ['user-agent', 'bench/1.0'], ['accept', '*/*'], ['content-type', 'application/json'], ['x-sdk-date', date],
  ['authorization', `SDK-HMAC-SHA256 Access=${KEY}, SignedHeaders=content-type;host;x-sdk-date, Signature=${signature}`],
  ['x-forwarded-proto', 'http'], ['x-request-id', '2b1c2b8e-8d4b-4c1e-9d0a-7d3c1f3a9b11'],
];
function pairs(list) {
  const head = Buffer.alloc(4 + 8 * list.length);
  head.writeUInt32LE(list.length, 0);
  list.forEach(([k, v], i) => { head.writeUInt32LE(Buffer.byteLength(k), 4 + 8 * i); head.writeUInt32LE(Buffer.byteLength(v), 8 + 8 * i); });
  return Buffer.concat([head, ...list.flatMap(([k, v]) => [text(k), Buffer.from([0]), text(v), Buffer.from([0])])]);
}
const headerBytes = pairs(headers);

let vm;
const mem = () => new Uint8Array(vm.memory.buffer);
const view = () => new DataView(vm.memory.buffer);
function give(bytes, ptrPtr, sizePtr) {
  const ptr = vm.proxy_on_memory_allocate(bytes.length);
  mem().set(bytes, ptr);
  view().setUint32(ptrPtr, ptr, true);
  view().setUint32(sizePtr, bytes.length, true);
  return 0;
}
const counts = {};
const count = (name) => { counts[name] = (counts[name] || 0) + 1; };
const env = {
  proxy_log: (level, ptr, len) => { if (level >= 3) console.error(Buffer.from(mem().subarray(ptr, ptr + len)).toString()); return 0; },
  proxy_get_buffer_bytes: (type, start, max, ptrPtr, sizePtr) => give(text(config), ptrPtr, sizePtr),
  proxy_get_property: (p, l, ptrPtr, sizePtr) => { count('get_property'); return give(routeMetadata, ptrPtr, sizePtr); },
  proxy_get_header_map_pairs: (type, ptrPtr, sizePtr) => { count('get_header_map_pairs'); return give(headerBytes, ptrPtr, sizePtr); },
  proxy_replace_header_map_value: () => { count('replace_header'); return 0; },
  proxy_remove_header_map_value: () => { count('remove_header'); return 0; },
  proxy_get_current_time_nanoseconds: (ptr) => { count('time'); view().setBigUint64(ptr, BigInt(Date.now()) * 1000000n, true); return 0; },
  proxy_send_local_response: (status) => { throw new Error(`local response ${status}`); },
  proxy_set_effective_context: () => 0,
};
const stub = () => 0;
const imports = { env: new Proxy(env, { get: (t, k) => t[k] || stub }), wasi_snapshot_preview1: new Proxy({
  random_get: (ptr, len) => { mem().set(crypto.randomBytes(len), ptr); return 0; },
  environ_sizes_get: (a, b) => { view().setUint32(a, 0, true); view().setUint32(b, 0, true); return 0; },
}, { get: (t, k) => t[k] || stub }) };

const instance = new WebAssembly.Instance(new WebAssembly.Module(fs.readFileSync(wasmPath)), imports);
vm = instance.exports;
vm._initialize();
vm.proxy_on_context_create(1, 0);
vm.proxy_on_vm_start(1, 0);
if (!vm.proxy_on_configure(1, config.length)) throw new Error('configuration refused');

let id = 2;
function request() {
  vm.proxy_on_context_create(id, 1);
  const action = vm.proxy_on_request_headers(id, headers.length, 1);
  if (action !== 0) throw new Error(`paused (${action})`);
  vm.proxy_on_done(id);
  vm.proxy_on_delete(id);
  id += 1;
}
for (let i = 0; i < 20000; i += 1) request(); // tier up
const rounds = 100000;
const best = [];
for (let r = 0; r < 5; r += 1) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i += 1) request();
  best.push(Number(process.hrtime.bigint() - start) / rounds / 1000);
}
for (const k of Object.keys(counts)) counts[k] /= 20000 + 5 * rounds;
console.log(`${path.basename(wasmPath)} (${fs.statSync(wasmPath).size} bytes): APP GET inside the VM ${Math.min(...best).toFixed(2)} µs/request (best of 5), host calls per request ${JSON.stringify(counts)}`);
