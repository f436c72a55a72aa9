/**
 * The Envoy ext_authz gRPC service (`envoy.service.auth.v3.Authorization/Check`): a thin adapter
 * that turns a CheckRequest into a CheckInput, asks `decide` (pure) and turns the decision into a
 * CheckResponse. No decision is made here.
 */
import * as grpc from '@grpc/grpc-js';
import type * as protobuf from 'protobufjs';
import type { ProtoRegistry } from '@turnpike/xds-server';
import { decide, type CheckInput, type Decision } from './check/decide';
import type { AuthzConfig } from './config/model';
import { denialBody } from './verify/errors';

const SERVICE = '/envoy.service.auth.v3.Authorization';
/** google.rpc.Code values. */
const OK = 0;
const UNAUTHENTICATED = 16;
const PERMISSION_DENIED = 7;

type Obj = Readonly<Record<string, unknown>>;

const obj = (o: unknown, key: string): Obj | undefined => {
  const v = typeof o === 'object' && o !== null ? (o as Obj)[key] : undefined;
  return typeof v === 'object' && v !== null ? (v as Obj) : undefined;
};
const str = (o: Obj | undefined, key: string): string => {
  const v = o?.[key];
  return typeof v === 'string' ? v : '';
};
const strings = (o: Obj | undefined): Readonly<Record<string, string>> => (o ?? {}) as Readonly<Record<string, string>>;

/** The request Envoy describes (proto field names, as protobufjs decodes them with keepCase). */
export function checkInput(message: unknown): { readonly input: CheckInput; readonly requestId: string } {
  const attributes = obj(message, 'attributes');
  const http = obj(obj(attributes, 'request'), 'http');
  const headers = strings(obj(http, 'headers'));
  const target = str(http, 'path');
  const q = target.indexOf('?');
  const raw = http?.['raw_body'];
  const authority = headers[':authority'] ?? str(http, 'host');
  const header = (name: string): string | undefined => (name === 'host' ? headers.host ?? authority : headers[name]);
  const input: CheckInput = {
    method: str(http, 'method'),
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? '' : target.slice(q + 1),
    header,
    body: raw instanceof Uint8Array ? raw : undefined,
    context: strings(obj(attributes, 'context_extensions')),
  };
  return { input, requestId: headers['x-request-id'] ?? str(http, 'id') };
}

const headerOption = (key: string, value: string): Obj => ({ header: { key, value }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' });

/** The CheckResponse for a decision, as a plain object for protobufjs' fromObject. */
export function checkResponse(decision: Decision, requestId: string): Obj {
  if (!decision.allow) {
    const { denial } = decision;
    return {
      status: { code: denial.status === 403 ? PERMISSION_DENIED : UNAUTHENTICATED },
      denied_response: {
        status: { code: denial.status },
        headers: [headerOption('content-type', 'application/json')],
        body: denialBody(denial, requestId),
      },
    };
  }
  const app = decision.app;
  return {
    status: { code: OK },
    ok_response: {
      headers: decision.changes.set.map(([k, v]) => headerOption(k, v)),
      headers_to_remove: [...decision.changes.remove],
    },
    // For later filters that read dynamic metadata (rate-limit descriptors, access logs).
    ...(app === undefined ? {} : { dynamic_metadata: { fields: { app_id: { string_value: app.id } } } }),
  };
}

export interface AuthorizationOptions {
  readonly registry: ProtoRegistry;
  /** The current configuration, or undefined before the first one arrived (→ UNAVAILABLE). */
  readonly config: () => AuthzConfig | undefined;
  readonly now?: () => number;
  /** Called for every decision (counters, debug logs); must not throw. */
  readonly observe?: (decision: Decision, input: CheckInput) => void;
}

/** Registers Authorization/Check on `server`. */
export function addAuthorizationService(server: grpc.Server, options: AuthorizationOptions): void {
  const request: protobuf.Type = options.registry.root.lookupType('envoy.service.auth.v3.CheckRequest');
  const response: protobuf.Type = options.registry.root.lookupType('envoy.service.auth.v3.CheckResponse');
  const now = options.now ?? Date.now;
  const definition: grpc.MethodDefinition<protobuf.Message, Obj> = {
    path: `${SERVICE}/Check`, requestStream: false, responseStream: false, originalName: 'Check',
    requestDeserialize: (bytes: Buffer) => request.decode(bytes),
    responseSerialize: (plain: Obj) => Buffer.from(response.encode(response.fromObject(plain)).finish()),
    requestSerialize: () => { throw new Error('server-side definition'); },
    responseDeserialize: () => { throw new Error('server-side definition'); },
  };
  server.addService({ Check: definition }, {
    Check: (call: grpc.ServerUnaryCall<protobuf.Message, Obj>, callback: grpc.sendUnaryData<Obj>) => {
      const config = options.config();
      if (config === undefined) {
        // Envoy fails closed on errors (failure_mode_allow false): no APP request passes.
        callback({ code: grpc.status.UNAVAILABLE, details: 'authz has no configuration yet' });
        return;
      }
      const { input, requestId } = checkInput(call.request);
      const decision = decide(input, config, now());
      options.observe?.(decision, input);
      callback(null, checkResponse(decision, requestId));
    },
  });
}
