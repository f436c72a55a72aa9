/**
 * The xDS server's side of mutual TLS: grpc-js server credentials whose certificate and trusted CAs
 * can be replaced while the server runs. grpc-js applies a new secure context to new connections
 * (http2 setSecureContext); streams already open keep their connection, so a rotation drops none.
 */
import tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { fleetsOf } from './identity';

/** PEM material of the server: its certificate chain and key, and the CAs its clients' certificates chain to. */
export interface ServerTlsMaterial {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

type CaListener = (update: grpc.experimental.CaCertificateUpdate | null) => void;
type IdentityListener = (update: grpc.experimental.IdentityCertificateUpdate | null) => void;

/** A certificate provider fed by `update()`: the operator's CA or a watched directory calls it. */
export class RotatingServerTls implements grpc.experimental.CertificateProvider {
  #material: ServerTlsMaterial | undefined;
  readonly #caListeners = new Set<CaListener>();
  readonly #identityListeners = new Set<IdentityListener>();

  /** Credentials that require a client certificate chaining to the current CAs. */
  readonly credentials: grpc.ServerCredentials =
    // The same provider gives both the identity and the CAs, so the order of the two arguments
    // (which grpc-js's declaration and implementation name differently) does not matter.
    grpc.experimental.createCertificateProviderServerCredentials(this, this, true);

  get current(): ServerTlsMaterial | undefined {
    return this.#material;
  }

  /**
   * Serves `material` to new connections. Throws, keeping the current material, when the key does
   * not match the certificate or a PEM is unreadable (e.g. files read halfway through an update):
   * grpc-js would otherwise refuse every new connection until the next update.
   */
  update(material: ServerTlsMaterial): void {
    if (this.#material !== undefined && sameMaterial(this.#material, material)) return;
    tls.createSecureContext({ cert: material.cert, key: material.key, ca: material.ca });
    this.#material = material;
    for (const listener of this.#caListeners) listener(caUpdate(material));
    for (const listener of this.#identityListeners) listener(identityUpdate(material));
  }

  // grpc-js registers the server's watcher only after adding these listeners: the current material
  // is delivered in a microtask, or the server would never learn of it.
  addCaCertificateListener(listener: CaListener): void {
    this.#caListeners.add(listener);
    queueMicrotask(() => { if (this.#caListeners.has(listener) && this.#material !== undefined) listener(caUpdate(this.#material)); });
  }

  removeCaCertificateListener(listener: CaListener): void {
    this.#caListeners.delete(listener);
  }

  addIdentityCertificateListener(listener: IdentityListener): void {
    this.#identityListeners.add(listener);
    queueMicrotask(() => { if (this.#identityListeners.has(listener) && this.#material !== undefined) listener(identityUpdate(this.#material)); });
  }

  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.#identityListeners.delete(listener);
  }
}

function sameMaterial(a: ServerTlsMaterial, b: ServerTlsMaterial): boolean {
  return a.cert === b.cert && a.key === b.key && a.ca === b.ca;
}

function caUpdate(material: ServerTlsMaterial): grpc.experimental.CaCertificateUpdate {
  return { caCertificate: Buffer.from(material.ca) };
}

function identityUpdate(material: ServerTlsMaterial): grpc.experimental.IdentityCertificateUpdate {
  return { certificate: Buffer.from(material.cert), privateKey: Buffer.from(material.key) };
}

/** The fleets the client certificate of a call names (none without mutual TLS). */
export function peerFleets(call: Pick<grpc.ServerDuplexStream<unknown, unknown>, 'getAuthContext'>): string[] {
  return fleetsOf(call.getAuthContext().sslPeerCertificate?.subjectaltname);
}
