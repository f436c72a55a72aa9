// Proto3 JSON scalars: strict checks, then the form protobufjs' fromObject expects.
import type { JsonPath } from './json-path';
import { ProtoError } from './proto-error';

const INT_RE = /^-?\d+$/;
const RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};
const BASE64_RE = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

function invalid(at: JsonPath, expected: string, value: unknown): ProtoError {
  return new ProtoError('XDS_PROTO_INVALID_JSON', at.toString(), `expected ${expected}, got ${JSON.stringify(value)}`);
}

function integer(type: string, value: unknown, at: JsonPath): number | string {
  const range = RANGES[type];
  if (range === undefined) throw invalid(at, `a known scalar type (${type})`, value);
  let big: bigint;
  if (typeof value === 'number' && Number.isSafeInteger(value)) big = BigInt(value);
  else if (typeof value === 'string' && INT_RE.test(value)) big = BigInt(value);
  else throw invalid(at, `an integer (${type})`, value);
  if (big < range[0] || big > range[1]) throw invalid(at, `a ${type} in range`, value);
  // 64-bit values travel as decimal strings (protobufjs turns them into Long); 32-bit as numbers.
  return type.endsWith('64') ? big.toString() : Number(big);
}

function floating(value: unknown, at: JsonPath): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw invalid(at, 'a number', value);
}

/** Parses one proto3 JSON scalar of protobuf type `type` (int32, string, bytes, …). */
export function parseScalar(type: string, value: unknown, at: JsonPath): unknown {
  switch (type) {
    case 'string':
      if (typeof value !== 'string') throw invalid(at, 'a string', value);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw invalid(at, 'true or false', value);
      return value;
    case 'bytes':
      if (typeof value !== 'string' || !BASE64_RE.test(value)) throw invalid(at, 'base64 bytes', value);
      return new Uint8Array(Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64'));
    case 'double':
    case 'float':
      return floating(value, at);
    default:
      return integer(type, value, at);
  }
}
