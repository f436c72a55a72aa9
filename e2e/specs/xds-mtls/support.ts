/**
 * xDS clients for the mutual-TLS spec: a raw gRPC ADS client (to see exactly what a stranger gets)
 * and an Envoy whose bootstrap is envoyBootstrap() with its client certificate in a Secret volume.
 */
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { defaultRegistry, envoyBootstrap, TYPE_URLS, XdsCodec, xdsTlsSdsFiles, type DiscoveryRequest, type DiscoveryResponse } from '@turnpike/xds-server';
import { startEnvoy, type Envoy } from '../../src';

const codec = new XdsCodec(defaultRegistry());
const ADS = '/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources';

export interface Identity {
  readonly cert: string;
  readonly key: string;
}

export interface AdsAttempt {
  readonly status: grpc.StatusObject;
  readonly responses: readonly DiscoveryResponse[];
}

/**
 * Opens an ADS stream to localhost:port trusting `ca`, asks for `fleet`'s clusters and returns how
 * the stream ended. A stream the server accepts stays open: it is cancelled after its first response.
 */
export function askAds(port: number, ca: string, fleet: string, identity?: Identity): Promise<AdsAttempt> {
  const credentials = grpc.credentials.createSsl(Buffer.from(ca), identity === undefined ? null : Buffer.from(identity.key), identity === undefined ? null : Buffer.from(identity.cert));
  const client = new grpc.Client(`localhost:${port}`, credentials);
  const call = client.makeBidiStreamRequest(ADS, (r: DiscoveryRequest) => codec.encodeRequest(r), (b: Buffer) => codec.decodeResponse(b));
  const responses: DiscoveryResponse[] = [];
  call.on('data', (r: DiscoveryResponse) => {
    responses.push(r);
    call.cancel();
  });
  call.on('error', () => undefined);
  call.write({ version_info: '', node: { id: `probe-${fleet}`, cluster: fleet, user_agent_name: 'probe' }, resource_names: [], type_url: TYPE_URLS.cluster, response_nonce: '', error_detail: undefined });
  return new Promise((resolve) => {
    call.on('status', (status: grpc.StatusObject) => {
      client.close();
      resolve({ status, responses });
    });
  });
}

/** The serial number of the certificate the xDS server presents now. */
export function servedSerial(port: number, ca: string, identity: Identity): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca, cert: identity.cert, key: identity.key, ALPNProtocols: ['h2'] }, () => {
      resolve(socket.getPeerCertificate().serialNumber);
      socket.end();
    });
    socket.on('error', reject);
  });
}

/** An Envoy of fleet `turnpike` connecting with mutual TLS, its certificate read from `certDir`. */
export async function startTlsEnvoy(dir: string, xdsPort: number, certDir: string): Promise<Envoy> {
  const sdsDir = path.join(dir, 'sds');
  const xdsTls = { certDir, sdsDir, serverName: 'localhost' };
  fs.mkdirSync(sdsDir, { recursive: true });
  for (const [file, content] of Object.entries(xdsTlsSdsFiles(xdsTls))) fs.writeFileSync(path.join(sdsDir, file), JSON.stringify(content));
  return startEnvoy({ bootstrap: envoyBootstrap({ nodeId: 'envoy-mtls', fleet: 'turnpike', xdsHost: '127.0.0.1', xdsPort, xdsTls }), dir, name: 'envoy-mtls' });
}

interface CertsDump {
  certificates: { cert_chain?: { serial_number: string; subject_alt_names?: { uri?: string }[] }[] }[];
}

/** Serial numbers of the client certificates Envoy has loaded (admin /certs). */
export async function envoyClientSerials(envoy: Envoy): Promise<string[]> {
  const dump = (await (await fetch(`${envoy.admin}/certs`)).json()) as CertsDump;
  return dump.certificates.flatMap((c) => (c.cert_chain ?? []).map((chain) => chain.serial_number.toLowerCase()));
}
