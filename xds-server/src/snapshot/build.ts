// Encodes translator output into an immutable Snapshot and runs the validation gate.
import { TYPE_URLS, type ProtoRegistry, type ResourceJson } from '../proto';
import { assembleType } from './assemble';
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

function encodeAll(input: ResourceInput, options: BuildOptions, problems: SnapshotProblem[]): Encoded {
  const encoder = options.encoder ?? new ResourceEncoder(options.registry);
  const types = new Map<string, TypeSnapshot>();
  const { previous } = options;
  let toCheck: SnapshotResource[] | undefined = [];
  for (const typeUrl of [...input.keys()].sort(compareNames)) {
    const encoded = encodeType(typeUrl, input.get(typeUrl) ?? NO_RESOURCES, encoder, problems);
    if (encoded.length === 0) continue;
    const { type, changed } = assembleType(typeUrl, encoded, previous?.types.get(typeUrl));
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
