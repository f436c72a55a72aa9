// Faults raised by the protobuf layer. Each carries a stable code (catalogued in xds-server/protos/README.md).

export type ProtoErrorCode =
  /** The type URL names no message in the registry. */
  | 'XDS_PROTO_UNKNOWN_TYPE'
  /** The JSON does not match the message schema (unknown field, wrong type, bad value). */
  | 'XDS_PROTO_INVALID_JSON'
  /** protobufjs' own verifier rejected the converted message. */
  | 'XDS_PROTO_VERIFY_FAILED'
  /** Bytes could not be decoded as the declared type. */
  | 'XDS_PROTO_DECODE_FAILED'
  /** The committed descriptor is missing or unreadable. */
  | 'XDS_PROTO_DESCRIPTOR';

/** A protobuf encoding or decoding fault; `path` points into the JSON (e.g. `filter_chains[0].filters[1]`). */
export class ProtoError extends Error {
  override readonly name = 'ProtoError';

  constructor(
    readonly code: ProtoErrorCode,
    readonly path: string,
    readonly detail: string,
  ) {
    super(path === '' ? detail : `${path}: ${detail}`);
  }
}
