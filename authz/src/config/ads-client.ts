/**
 * authz's xDS client: one ADS stream (state of the world) to xds-server, subscribed to every App
 * and SignatureKey of its fleet. Each accepted response replaces the configuration and is ACKed;
 * a malformed one is NACKed and the configuration stays. When the stream drops, the last
 * configuration keeps serving and the client reconnects with backoff, resuming from the versions
 * it has. Secrets arrive only here, so the xDS address must be private (docs/authentication.md).
 */
import * as grpc from '@grpc/grpc-js';
import { defaultRegistry, XdsCodec, type DiscoveryRequest, type DiscoveryResponse, type ProtoRegistry } from '@turnpike/xds-server';
import { APP_TYPE, decodeApp, decodeResources, decodeSignatureKey, SIGNATURE_KEY_TYPE } from './decode';
import { AuthzConfig, type AppConfig, type SignatureKeyConfig } from './model';

const METHOD = '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources';
const TYPES = [APP_TYPE, SIGNATURE_KEY_TYPE] as const;
/** gRPC INVALID_ARGUMENT, the code of a NACK's error_detail. */
const INVALID_ARGUMENT = 3;

export interface AdsClientLogger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export interface AdsClientOptions {
  /** host:port of xds-server. */
  readonly address: string;
  readonly nodeId: string;
  /** The authz fleet (xds-server's `authzFleet(fleet)`). */
  readonly fleet: string;
  readonly log: AdsClientLogger;
  /** Called with every new configuration. */
  readonly onConfig: (config: AuthzConfig) => void;
  readonly registry?: ProtoRegistry;
  readonly backoffMs?: { readonly initial: number; readonly max: number };
}

type Stream = grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>;

export class AdsClient {
  readonly #client: grpc.Client;
  readonly #codec: XdsCodec;
  readonly #registry: ProtoRegistry;
  #stream: Stream | undefined;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  #delay: number;
  /** Accepted version per type (resumption after a reconnect). */
  readonly #versions = new Map<string, string>();
  #apps: readonly AppConfig[] = [];
  #keys: readonly SignatureKeyConfig[] = [];

  constructor(private readonly options: AdsClientOptions) {
    this.#client = new grpc.Client(options.address, grpc.credentials.createInsecure(), {
      'grpc.keepalive_time_ms': 10_000,
      'grpc.keepalive_timeout_ms': 5_000,
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
    });
    this.#registry = options.registry ?? defaultRegistry();
    this.#codec = new XdsCodec(this.#registry);
    this.#delay = options.backoffMs?.initial ?? 250;
  }

  /** True once a response of every type has been accepted (an empty world counts). */
  get synced(): boolean {
    return TYPES.every((t) => this.#versions.has(t));
  }

  start(): void {
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#stream?.cancel();
    this.#client.close();
  }

  #request(typeUrl: string, nonce: string, error?: string): DiscoveryRequest {
    return {
      version_info: this.#versions.get(typeUrl) ?? '',
      node: { id: this.options.nodeId, cluster: this.options.fleet, user_agent_name: 'turnpike-authz' },
      resource_names: [],
      type_url: typeUrl,
      response_nonce: nonce,
      error_detail: error === undefined ? undefined : { code: INVALID_ARGUMENT, message: error },
    };
  }

  #connect(): void {
    if (this.#stopped) return;
    const stream = this.#client.makeBidiStreamRequest<DiscoveryRequest, DiscoveryResponse>(
      METHOD,
      (request) => this.#codec.encodeRequest(request),
      (bytes) => this.#codec.decodeResponse(bytes),
    );
    this.#stream = stream;
    stream.on('data', (response: DiscoveryResponse) => { this.#receive(stream, response); });
    stream.on('error', (err: grpc.ServiceError) => { this.#lost(stream, err.details || err.message); });
    stream.on('end', () => { this.#lost(stream, 'stream ended'); });
    for (const typeUrl of TYPES) stream.write(this.#request(typeUrl, ''));
  }

  #lost(stream: Stream, why: string): void {
    if (this.#stream !== stream || this.#stopped) return;
    this.#stream = undefined;
    this.options.log.warn('xds stream lost; serving the last configuration and reconnecting', { why, retryMs: this.#delay });
    this.#timer = setTimeout(() => { this.#connect(); }, this.#delay);
    this.#delay = Math.min(this.#delay * 2, this.options.backoffMs?.max ?? 5_000);
  }

  #receive(stream: Stream, response: DiscoveryResponse): void {
    this.#delay = this.options.backoffMs?.initial ?? 250;
    try {
      if (response.type_url === APP_TYPE) this.#apps = decodeResources(this.#registry, APP_TYPE, response.resources, decodeApp);
      else if (response.type_url === SIGNATURE_KEY_TYPE) this.#keys = decodeResources(this.#registry, SIGNATURE_KEY_TYPE, response.resources, decodeSignatureKey);
      else throw new Error(`unexpected type ${response.type_url}`);
    } catch (err: unknown) {
      const message = err instanceof Error ? err.message : String(err);
      this.options.log.warn('xds response rejected (NACK); keeping the current configuration', { typeUrl: response.type_url, version: response.version_info, error: message });
      stream.write(this.#request(response.type_url, response.nonce, message));
      return;
    }
    this.#versions.set(response.type_url, response.version_info);
    stream.write(this.#request(response.type_url, response.nonce));
    this.options.log.info('xds configuration applied', { typeUrl: response.type_url, version: response.version_info, resources: response.resources.length });
    this.options.onConfig(new AuthzConfig(this.#apps, this.#keys));
  }
}
