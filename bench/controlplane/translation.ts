/**
 * Full translation in-process, stage by stage, exactly as the operator's pipeline runs it:
 * ResourceSet → translateResourceSet (validate + CR → IR) → translateIR (IR → Envoy JSON) →
 * SnapshotCache.set (proto encoding, canonical decode, hashing, reference checks).
 */
import { loadConfig, schemaValidate, toResourceSet, translateResourceSet, Translator, type KubeObject, type ResourceSet, type ValidateFn } from '@turnpike/operator';
import { SnapshotCache, translateIR } from '@turnpike/xds-server';
import { changedSnapshotMs, withOneApiChanged } from './breakdown';
import { worldObjects, type Size } from './fixtures';
import { retainedMiB } from './heap';
import { median, since } from './stats';

/** The operator's default gateway configuration, as the bench's operator runs it (xDS on loopback). */
export function operatorGateway(): ReturnType<typeof loadConfig>['gateway'] {
  return loadConfig('operator', ['--xds-host', '127.0.0.1'], {}).gateway;
}

export interface TranslationTimes {
  readonly resourceSet: number;
  /** Schema + rule validation, summed over every object (part of translateResourceSet). */
  readonly validate: number;
  /** translateResourceSet minus validation: CR → IR and statuses. */
  readonly crToIr: number;
  readonly irToEnvoy: number;
  readonly snapshot: number;
  /** SnapshotCache.set again, same cache, after a one-Api change (not part of `total`). */
  readonly snapshotOneApi: number;
  readonly total: number;
  /** validate + CR → IR of one edited Api by the operator's long-lived Translator (incremental). */
  readonly crToIrEdit: number;
  /** Encoded size of every RouteConfiguration (one per group and listener side; scopes not counted). */
  readonly routeConfigBytes: number;
  /** Heap retained by the objects, the ResourceSet, the translation and the snapshot, MiB. */
  readonly retainedMiB: number;
}

function timedValidate(inner: ValidateFn, clock: { ms: number }): ValidateFn {
  return (kind, object) => {
    const start = performance.now();
    try {
      return inner(kind, object);
    } finally {
      clock.ms += since(start);
    }
  };
}

function routeConfigBytes(cache: SnapshotCache, fleet: string): number {
  let bytes = 0;
  for (const [typeUrl, type] of cache.get(fleet)?.types ?? []) {
    if (!typeUrl.endsWith('.RouteConfiguration')) continue;
    for (const resource of type.resources.values()) bytes += resource.any.value.length;
  }
  return bytes;
}

/** Everything one pipeline pass leaves alive: what the operator holds between changes. */
function world(size: Size, validate: ValidateFn): unknown {
  const gateway = operatorGateway();
  const { set } = toResourceSet(worldObjects(size, 'bench'));
  const translation = translateResourceSet(set, gateway, validate);
  const cache = new SnapshotCache();
  cache.set(gateway.fleet, translateIR(translation.ir));
  return { set, translation, cache };
}

type Timed = Omit<TranslationTimes, 'retainedMiB' | 'crToIrEdit'>;

/** `set` with Api `key` edited as a user would: a new object, generation + 1, a new mock body. */
function edited(set: ResourceSet, key: string, n: number): ResourceSet {
  const api = set.Api.get(key);
  if (api === undefined) throw new Error(`no Api ${key}`);
  const spec = { ...(api.spec as Record<string, unknown>), backend: { mock: { body: `edited-${n}` } } };
  const next: KubeObject = { ...api, metadata: { ...api.metadata, generation: (api.metadata.generation ?? 1) + 1 }, spec };
  return { ...set, Api: new Map(set.Api).set(key, next) };
}

/** The median time the operator's Translator takes for one edited Api, over `runs` edits of distinct Apis. */
function measureEdit(size: Size, runs: number, validate: ValidateFn): number {
  const translator = new Translator(operatorGateway(), validate);
  let { set } = toResourceSet(worldObjects(size, 'bench'));
  translator.translate(set);
  const keys = [...set.Api.keys()];
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    set = edited(set, keys[Math.floor((i * keys.length) / runs)] ?? '', i);
    const start = performance.now();
    translator.translate(set);
    samples.push(since(start));
  }
  return median(samples);
}

function runOnce(size: Size, validate: ValidateFn): Timed {
  const gateway = operatorGateway();
  const objects = worldObjects(size, 'bench');
  const clock = { ms: 0 };
  const start = performance.now();
  const { set } = toResourceSet(objects);
  const resourceSet = since(start);
  let mark = performance.now();
  const translation = translateResourceSet(set, gateway, timedValidate(validate, clock));
  const operatorStage = since(mark);
  mark = performance.now();
  const resources = translateIR(translation.ir);
  const irToEnvoy = since(mark);
  mark = performance.now();
  // A fresh cache each run: the full build, as after a start. The operator's cache then reuses
  // what did not change, which snapshotOneApi measures.
  const cache = new SnapshotCache();
  const result = cache.set(gateway.fleet, resources);
  const snapshot = since(mark);
  const total = since(start);
  if (result.status === 'rejected') throw new Error(`snapshot rejected: ${result.problems.map((p) => p.message).join('; ')}`);
  const snapshotOneApi = changedSnapshotMs(cache, gateway.fleet, withOneApiChanged(resources));
  const rejected = [...translation.statuses.values()].filter((s) => s.accepted.status !== 'True');
  if (rejected.length > 0) throw new Error(`${rejected.length} objects not accepted, e.g. ${JSON.stringify(rejected[0])}`);
  return {
    resourceSet, validate: clock.ms, crToIr: operatorStage - clock.ms, irToEnvoy, snapshot, snapshotOneApi,
    total, routeConfigBytes: routeConfigBytes(cache, gateway.fleet),
  };
}

/** The median of `runs` runs, stage by stage (after one warm-up run). */
export function measureTranslation(size: Size, runs: number): TranslationTimes {
  const validate = schemaValidate();
  runOnce(size, validate);
  const samples = Array.from({ length: runs }, () => runOnce(size, validate));
  const med = (pick: (t: Timed) => number): number => median(samples.map(pick));
  return {
    resourceSet: med((t) => t.resourceSet), validate: med((t) => t.validate), crToIr: med((t) => t.crToIr),
    irToEnvoy: med((t) => t.irToEnvoy), snapshot: med((t) => t.snapshot),
    snapshotOneApi: med((t) => t.snapshotOneApi), total: med((t) => t.total),
    routeConfigBytes: med((t) => t.routeConfigBytes), retainedMiB: retainedMiB(() => world(size, validate)),
    crToIrEdit: measureEdit(size, Math.max(runs, 10), validate),
  };
}
