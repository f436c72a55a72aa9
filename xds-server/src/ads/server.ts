// The gRPC AggregatedDiscoveryService: StreamAggregatedResources (SotW) and DeltaAggregatedResources.
import * as grpc from '@grpc/grpc-js';
import { defaultRegistry, type ProtoRegistry } from '../proto';
import type { Snapshot, SnapshotCache } from '../snapshot';
import { DeltaChannel } from './delta-channel';
import { AckTracker, AdsEventHub, type AdsListener, type Protocol, type SessionEvent, type StreamIdentity } from './events';
import { XdsCodec, type DeltaDiscoveryRequest, type DeltaDiscoveryResponse, type DiscoveryRequest, type DiscoveryResponse, type NodeInfo } from './messages';
import { Session } from './session';
import { SotwChannel } from './sotw-channel';

const SERVICE = '/envoy.service.discovery.v3.AggregatedDiscoveryService';

/** Structured logger the server writes to (the operator injects its own). */
export interface AdsLogger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

const silent: AdsLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined };

export interface AdsServerOptions {
  readonly cache: SnapshotCache;
  readonly registry?: ProtoRegistry;
  /** Maps a node to its fleet; undefined rejects the stream. Default: node.cluster, required. */
  readonly fleetOf?: (node: NodeInfo) => string | undefined;
  /**
   * With mutual TLS: the fleets the client's certificate names (xds-server/src/tls). A stream asking
   * for any other fleet is closed with PERMISSION_DENIED before anything is sent. Absent: no check.
   */
  readonly peerFleets?: (call: Pick<grpc.ServerDuplexStream<unknown, unknown>, 'getAuthContext'>) => readonly string[];
  readonly logger?: AdsLogger;
  /** The most resource bytes in one Delta response (default MAX_RESPONSE_BYTES: 2 MiB). */
  readonly maxDeltaResponseBytes?: number;
}

interface XdsRequest {
  readonly type_url: string;
  readonly response_nonce: string;
  readonly node: NodeInfo | undefined;
}

type SessionFactory<Req extends XdsRequest, Res> = (
  stream: StreamIdentity, emit: (event: SessionEvent) => void, snapshot: Snapshot | undefined,
) => Session<Req, Res>;

function defaultFleetOf(node: NodeInfo): string | undefined {
  return node.cluster === '' ? undefined : node.cluster;
}

export class AdsServer {
  /** Latest ACK/NACK per node and type (fed by the same events listeners receive). */
  readonly tracker = new AckTracker();
  private readonly hub: AdsEventHub;
  private readonly codec: XdsCodec;
  private readonly log: AdsLogger;
  private grpcServer: grpc.Server | undefined;
  private streamCounter = 0;

  constructor(private readonly options: AdsServerOptions) {
    this.codec = new XdsCodec(options.registry ?? defaultRegistry());
    this.log = options.logger ?? silent;
    this.hub = new AdsEventHub((err) => { this.log.warn('ads event listener failed', { error: String(err) }); });
    this.hub.on((event) => { this.tracker.record(event); });
  }

  /** Subscribes to ACK/NACK and stream events; returns the unsubscribe function. */
  onEvent(listener: AdsListener): () => void {
    return this.hub.on(listener);
  }

  /** The service definition, for registering on a grpc.Server the caller owns. */
  serviceDefinition(): grpc.ServiceDefinition {
    const codec = this.codec;
    const method = <Req, Res>(name: string, decode: (b: Buffer) => Req, encode: (r: Res) => Buffer): grpc.MethodDefinition<Req, Res> => ({
      path: `${SERVICE}/${name}`, requestStream: true, responseStream: true, originalName: name,
      requestDeserialize: decode, responseSerialize: encode,
      requestSerialize: () => { throw new Error('server-side definition'); },
      responseDeserialize: () => { throw new Error('server-side definition'); },
    });
    return {
      StreamAggregatedResources: method<DiscoveryRequest, DiscoveryResponse>('StreamAggregatedResources', (b) => codec.decodeRequest(b), (r) => codec.encodeResponse(r)),
      DeltaAggregatedResources: method<DeltaDiscoveryRequest, DeltaDiscoveryResponse>('DeltaAggregatedResources', (b) => codec.decodeDeltaRequest(b), (r) => codec.encodeDeltaResponse(r)),
    };
  }

  /** Registers the ADS service on `server`. */
  addTo(server: grpc.Server): void {
    server.addService(this.serviceDefinition(), {
      StreamAggregatedResources: (call: grpc.ServerDuplexStream<DiscoveryRequest, DiscoveryResponse>) => {
        this.serve(call, 'sotw', (stream, emit, snapshot) =>
          new Session<DiscoveryRequest, DiscoveryResponse>({ stream, emit, channel: (typeUrl, onResumed) => new SotwChannel(typeUrl, onResumed) }, snapshot));
      },
      DeltaAggregatedResources: (call: grpc.ServerDuplexStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>) => {
        this.serve(call, 'delta', (stream, emit, snapshot) =>
          new Session<DeltaDiscoveryRequest, DeltaDiscoveryResponse>({ stream, emit, channel: (typeUrl) => new DeltaChannel(typeUrl, this.options.maxDeltaResponseBytes) }, snapshot));
      },
    });
  }

  /** Starts a gRPC server owning this service (plaintext unless `credentials` say otherwise); resolves with the bound port. */
  async listen(address = '127.0.0.1:0', credentials = grpc.ServerCredentials.createInsecure()): Promise<number> {
    const server = new grpc.Server();
    this.addTo(server);
    this.grpcServer = server;
    return new Promise((resolve, reject) => {
      server.bindAsync(address, credentials, (err, port) => {
        if (err === null) resolve(port);
        else reject(err);
      });
    });
  }

  /** Stops the server started by listen(), ending open streams. */
  async close(): Promise<void> {
    const server = this.grpcServer;
    this.grpcServer = undefined;
    if (server === undefined) return;
    server.forceShutdown();
    return Promise.resolve();
  }

  private serve<Req extends XdsRequest, Res>(
    call: grpc.ServerDuplexStream<Req, Res>, protocol: Protocol, newSession: SessionFactory<Req, Res>,
  ): void {
    const streamId = `${protocol}-${++this.streamCounter}`;
    let session: Session<Req, Res> | undefined;
    let identity: StreamIdentity | undefined;
    let unwatch = (): void => undefined;
    const write = (responses: readonly Res[]): void => { for (const r of responses) call.write(r); };
    const fail = (code: grpc.status, details: string): void => {
      this.log.warn('ads stream rejected', { streamId, details });
      call.emit('error', { code, details });
    };
    call.on('data', (request: Req) => {
      this.log.debug('ads request', { streamId, typeUrl: request.type_url, nonce: request.response_nonce });
      try {
        if (session === undefined) {
          const opened = this.identify(request.node, protocol, streamId);
          if (typeof opened === 'string') { fail(grpc.status.INVALID_ARGUMENT, opened); return; }
          const refused = this.refusal(call, opened);
          if (refused !== undefined) { fail(grpc.status.PERMISSION_DENIED, refused); return; }
          this.log.info('ads stream opened', { ...opened, userAgent: request.node?.user_agent_name });
          identity = opened;
          const current = newSession(opened, (event) => { this.report(event); }, this.options.cache.get(opened.fleet));
          session = current;
          unwatch = this.options.cache.watch(opened.fleet, (snapshot) => { write(current.setSnapshot(snapshot)); });
          this.hub.emit({ kind: 'connected', ...opened });
        }
        write(session.receive(request));
      } catch (err: unknown) {
        fail(grpc.status.INTERNAL, `ads: ${String(err)}`);
      }
    });
    const closed = (): void => {
      unwatch();
      unwatch = () => undefined;
      if (identity !== undefined) this.hub.emit({ kind: 'disconnected', ...identity });
      identity = undefined;
    };
    call.on('end', () => { closed(); call.end(); });
    call.on('cancelled', closed);
    call.on('error', closed);
    call.on('close', closed);
  }

  private identify(node: NodeInfo | undefined, protocol: Protocol, streamId: string): StreamIdentity | string {
    if (node === undefined || node.id === '') return 'the first request on a stream must carry node.id';
    const fleet = (this.options.fleetOf ?? defaultFleetOf)(node);
    if (fleet === undefined) return `node ${node.id} has no fleet (set node.cluster)`;
    return { nodeId: node.id, fleet, protocol, streamId };
  }

  /** Why the client's certificate does not admit it to the fleet it asks for (undefined: it does). */
  private refusal(call: Pick<grpc.ServerDuplexStream<unknown, unknown>, 'getAuthContext'>, identity: StreamIdentity): string | undefined {
    if (this.options.peerFleets === undefined) return undefined;
    const fleets = this.options.peerFleets(call);
    if (fleets.includes(identity.fleet)) return undefined;
    const named = fleets.length === 0 ? 'no fleet' : `fleet ${fleets.join(', ')}`;
    return `node ${identity.nodeId} asks for fleet ${identity.fleet} but its client certificate names ${named}`;
  }

  private report(event: SessionEvent): void {
    if (event.kind === 'synced') {
      this.log.debug('ads synced', { nodeId: event.nodeId, fleet: event.fleet, snapshotVersion: event.snapshotVersion });
      this.hub.emit(event);
      return;
    }
    const fields = { nodeId: event.nodeId, fleet: event.fleet, typeUrl: event.typeUrl, version: event.version, nonce: event.nonce };
    if (event.kind === 'nack') this.log.warn('ads nack', { ...fields, error: event.errorMessage });
    else this.log.debug(`ads ${event.kind}`, fields);
    this.hub.emit(event);
  }
}
