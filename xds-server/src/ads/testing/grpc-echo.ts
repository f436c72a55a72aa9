// A real gRPC backend for the proxyless client test: one unary method echoing raw bytes, plus the
// gRPC admin services (CSDS, registered by @grpc/grpc-js-xds) on the same server.
import * as grpc from '@grpc/grpc-js';

const identity = (b: Buffer): Buffer => b;
export const ECHO_PATH = '/turnpike.test.Echo/Echo';

const definition: grpc.ServiceDefinition = {
  Echo: {
    path: ECHO_PATH, requestStream: false, responseStream: false,
    requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity,
  },
};

export interface EchoServer {
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts the echo server on 127.0.0.1:0; replies "<name>:<request>". */
export async function startEchoServer(name: string, admin: boolean): Promise<EchoServer> {
  const server = new grpc.Server();
  server.addService(definition, {
    Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
      callback(null, Buffer.concat([Buffer.from(`${name}:`), call.request]));
    },
  });
  if (admin) grpc.addAdminServicesToServer(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => { if (err === null) resolve(p); else reject(err); });
  });
  return { port, stop: () => new Promise((resolve) => { server.tryShutdown(() => { resolve(); }); }) };
}

/** One unary call with raw bytes. */
export async function unary(client: grpc.Client, path: string, request: Buffer, deadlineMs = 5_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(path, identity, identity, request, { deadline: Date.now() + deadlineMs }, (err, reply) => {
      if (err !== null || reply === undefined) reject(err ?? new Error('no reply'));
      else resolve(reply);
    });
  });
}
