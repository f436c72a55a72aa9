// The registry's schema: a protobufjs JSON descriptor generated from PROTO_FILES and committed to
// xds-server/protos/descriptor.json, so that the runtime does not depend on @grpc/grpc-js-xds (a
// devDependency that ships the Envoy .proto tree). descriptor.test.ts regenerates it and fails on
// drift; UPDATE_GOLDEN=1 rewrites it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import { ProtoError } from './proto-error';
import { PROTO_FILES } from './files';

/** xds-server/protos, from both src/proto and dist/proto. */
const PROTOS_DIR: string = path.resolve(__dirname, '..', '..', 'protos');
export const DESCRIPTOR_PATH: string = path.join(PROTOS_DIR, 'descriptor.json');

/** Include directories: grpc-js-xds' vendored API trees, protobufjs' google/protobuf, our protos. */
function includeDirs(): string[] {
  const xdsDeps = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  const protobufjsDir = path.dirname(require.resolve('protobufjs/package.json'));
  return [
    PROTOS_DIR,
    path.join(xdsDeps, 'envoy-api'),
    path.join(xdsDeps, 'xds'),
    path.join(xdsDeps, 'googleapis'),
    path.join(xdsDeps, 'protoc-gen-validate'),
    protobufjsDir,
  ];
}

/** Parses PROTO_FILES from .proto sources (slow path; used to generate and drift-check). */
export function buildRootFromProtos(files: readonly string[] = PROTO_FILES): protobuf.Root {
  const dirs = includeDirs();
  const root = new protobuf.Root();
  root.resolvePath = (_origin: string, target: string): string | null => {
    if (path.isAbsolute(target)) return target;
    for (const dir of dirs) {
      const candidate = path.join(dir, target);
      if (fs.existsSync(candidate)) return candidate;
    }
    return null;
  };
  root.loadSync([...files], { keepCase: true });
  root.resolveAll();
  return root;
}

/** Stable text of a descriptor: what is committed and compared. */
export function serializeDescriptor(root: protobuf.Root): string {
  return `${JSON.stringify(root.toJSON(), null, 1)}\n`;
}

/** Loads the committed descriptor (fast path used at runtime). */
export function loadCommittedRoot(file: string = DESCRIPTOR_PATH): protobuf.Root {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err: unknown) {
    throw new ProtoError('XDS_PROTO_DESCRIPTOR', file, `cannot read descriptor: ${String(err)}`);
  }
  const root = protobuf.Root.fromJSON(json as protobuf.INamespace);
  root.resolveAll();
  return root;
}
