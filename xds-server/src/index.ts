export * from './ir';
export * from './translate';
export {
  AckTracker, AdsServer, isAckEvent,
  type AckEvent, type AdsEvent, type AdsListener, type AdsLogger, type AdsServerOptions, type NodeAckState,
  type Protocol as XdsProtocol, type SentEvent, type SessionEvent, type StreamEvent, type SyncedEvent, type TypeAckState,
} from './ads';
export * from './bootstrap/bootstrap';
export * from './snapshot';
export {
  defaultRegistry, encodeResource, decodeResource, jsonOf, LazyJson, type ResourceJson, ProtoError, ProtoRegistry, RESOURCE_ORDER, TYPE_URLS, type ResourceTypeUrl, type EncodedAny, type ProtoErrorCode,
} from './proto';
export { XdsCodec, type DiscoveryRequest, type DiscoveryResponse, type NodeInfo } from './ads/messages';
export * from './tls';
export { freePort } from './net/free-port';
