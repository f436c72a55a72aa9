// Encodes translator output into an immutable Snapshot and runs the validation gate.
import { TYPE_URLS, type ProtoRegistry, type ResourceJson } from '../proto';
import { assembleType, reassembleType, type AssembledType } from './assemble';
import { isProblem, ResourceEncoder } from './encoder';
import { compareNames, versionOf } from './hash';
import { shortType, type SnapshotProblem } from './problems';
import type { ResourceInput, Snapshot, SnapshotResource, TypeSnapshot } from './types';

export type { SnapshotProblem, SnapshotProblemKind } from './problems';

export type BuildResult =
  | { readonly ok: true; readonly snapshot: Snapshot }
  | { readonly ok: false; readonly problems: readonly SnapshotProblem[] };

export interface BuildOptions {
  readonly registry: ProtoRegistry;
  /** Names that exist outside ADS (bootstrap static clusters/secrets), per type URL. */
  readonly externalResources?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Remembers encodings between builds (a SnapshotCache keeps one); must use `registry`. */
  readonly encoder?: ResourceEncoder;
  /** The fleet's served snapshot: a type whose content did not change is reused as it is. */
  readonly previous?: Snapshot;
}

const NO_RESOURCES: ReadonlyMap<string, ResourceJson> = new Map();

function encodeType(typeUrl: string, input: ReadonlyMap<string, ResourceJson>, encoder: ResourceEncoder, problems: SnapshotProblem[]): SnapshotResource[] {
  const encoded: SnapshotResource[] = [];
  const found: SnapshotProblem[] = [];
  for (const [name, json] of input) {
    const outcome = encoder.encode(typeUrl, name, json);
    if (isProblem(outcome)) found.push(outcome);
    else encoded.push(outcome);
  }
  // Reported in name order whatever the input order (only the rare failing ones are sorted).
  problems.push(...found.sort((a, b) => compareNames(a.name, b.name)));
  return encoded;
}

interface Encoded {
  readonly types: Map<string, TypeSnapshot>;
  /**
   * The resources whose references need checking: those that differ from the previous snapshot's
   * when every type kept its names (the others were checked when it was built, and every name
   * they can point at is still there), or undefined: all of them.
   */
  readonly toCheck: readonly SnapshotResource[] | undefined;
}

/**
 * The input each TypeSnapshot was built from (or, when a build reused it, an input of the same
 * content). The next build compares its input with it by identity: an edit replaces a few
 * resource objects of one type and keeps the names and their order (translateIR).
 */
const builtFrom = new WeakMap<TypeSnapshot, ReadonlyMap<string, ResourceJson>>();

/** The names whose resource object is another, when `after` has the names of `before` in the same order; else undefined. */
function replacedInOrder(before: ReadonlyMap<string, ResourceJson>, after: ReadonlyMap<string, ResourceJson>): string[] | undefined {
  if (before.size !== after.size) return undefined;
  const replaced: string[] = [];
  const earlier = before.entries();
  for (const [name, resource] of after) {
    const entry = earlier.next();
    if (entry.done === true || entry.value[0] !== name) return undefined;
    if (entry.value[1] !== resource) replaced.push(name);
  }
  return replaced;
}

/** One type: only its replaced resources encoded when its input is the previous type's with some replaced, else all. */
function encodeTypeAgainst(typeUrl: string, resources: ReadonlyMap<string, ResourceJson>, previous: TypeSnapshot | undefined, encoder: ResourceEncoder, problems: SnapshotProblem[]): AssembledType | undefined {
  const before = previous === undefined ? undefined : builtFrom.get(previous);
  const replaced = before === undefined || previous === undefined ? undefined : before === resources ? [] : replacedInOrder(before, resources);
  if (replaced !== undefined && previous !== undefined) {
    const subset = new Map(replaced.map((name) => [name, resources.get(name) as ResourceJson]));
    const found: SnapshotProblem[] = [];
    const encoded = encodeType(typeUrl, subset, encoder, found);
    // A resource that does not encode leaves the type (names change): the full path says so.
    if (found.length === 0) return reassembleType(previous, encoded);
  }
  const encoded = encodeType(typeUrl, resources, encoder, problems);
  return encoded.length === 0 ? undefined : assembleType(typeUrl, encoded, previous);
}

function encodeAll(input: ResourceInput, options: BuildOptions, problems: SnapshotProblem[]): Encoded {
  const encoder = options.encoder ?? new ResourceEncoder(options.registry);
  const types = new Map<string, TypeSnapshot>();
  const { previous } = options;
  let toCheck: SnapshotResource[] | undefined = [];
  for (const typeUrl of [...input.keys()].sort(compareNames)) {
    const resources = input.get(typeUrl) ?? NO_RESOURCES;
    const assembled = encodeTypeAgainst(typeUrl, resources, previous?.types.get(typeUrl), encoder, problems);
    if (assembled === undefined) continue;
    const { type, changed } = assembled;
    builtFrom.set(type, resources);
    types.set(typeUrl, type);
    if (changed !== undefined) toCheck?.push(...changed);
    else {
      toCheck = undefined;
      if (typeUrl === TYPE_URLS.routeConfiguration) encoder.retainRouteConfigurations(type.resources);
    }
  }
  // A type gone is names gone.
  if (previous === undefined || [...previous.types.keys()].some((typeUrl) => !types.has(typeUrl))) toCheck = undefined;
  return { types, toCheck };
}

function* allResources(types: ReadonlyMap<string, TypeSnapshot>): Iterable<SnapshotResource> {
  for (const type of types.values()) yield* type.resources.values();
}

// A removed cluster must fail the routes that still use it: references are precomputed per encoded
// resource, so this is map lookups only, over every resource when names changed (encodeAll).
function checkReferences(types: ReadonlyMap<string, TypeSnapshot>, resources: Iterable<SnapshotResource>, options: BuildOptions, problems: SnapshotProblem[]): void {
  const exists = (typeUrl: string, name: string): boolean =>
    types.get(typeUrl)?.resources.has(name) === true || options.externalResources?.get(typeUrl)?.has(name) === true;
  for (const resource of resources) {
    for (const ref of resource.references) {
      if (exists(ref.typeUrl, ref.name)) continue;
      problems.push({
        kind: 'dangling-reference', typeUrl: resource.typeUrl, name: resource.name, path: ref.path,
        missing: { typeUrl: ref.typeUrl, name: ref.name },
        message: `${shortType(resource.typeUrl)} "${resource.name}" references ${shortType(ref.typeUrl)} "${ref.name}" (${ref.path}), which is not in the snapshot`,
      });
    }
  }
}

/** Encodes, hashes and validates one fleet's resources. Deterministic: equal input, equal version. */
export function buildSnapshot(fleet: string, input: ResourceInput, options: BuildOptions): BuildResult {
  const problems: SnapshotProblem[] = [];
  const { types, toCheck } = encodeAll(input, options, problems);
  checkReferences(types, toCheck ?? allResources(types), options, problems);
  if (problems.length > 0) return { ok: false, problems };
  const version = versionOf([...types.values()].map((t) => [t.typeUrl, t.version] as const));
  return { ok: true, snapshot: Object.freeze({ fleet, version, types }) };
}
