// Public surface of the ADS server.
export { AdsServer, type AdsLogger, type AdsServerOptions } from './server';
export {
  AckTracker, isAckEvent, type AckEvent, type AdsEvent, type AdsListener, type NodeAckState,
  type Protocol, type SentEvent, type SessionEvent, type StreamEvent, type SyncedEvent, type TypeAckState,
} from './events';
export type { DeltaDiscoveryRequest, DeltaDiscoveryResponse, DiscoveryRequest, DiscoveryResponse, NodeInfo } from './messages';
