// Public surface of the protobuf layer.
export { ProtoError, type ProtoErrorCode } from './proto-error';
export { JsonPath } from './json-path';
export { isJsonObject, jsonOf, LazyJson, type JsonObject, type JsonValue, type ResourceJson } from './json';
export { ProtoRegistry, defaultRegistry, encodeResource, decodeResource, type EncodedAny, type EncodedMessage } from './registry';
export { RESOURCE_ORDER, TYPE_URLS, type KnownTypeUrl, type ResourceTypeUrl } from './type-urls';
export { PROTO_FILES } from './files';
export { DESCRIPTOR_PATH } from './descriptor';
