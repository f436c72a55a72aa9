// Mutual TLS on xDS: the fleet identity in client certificates and the server's rotating credentials.
export { fleetsOf, fleetUri } from './identity';
export { peerFleets, RotatingServerTls, type ServerTlsMaterial } from './credentials';
