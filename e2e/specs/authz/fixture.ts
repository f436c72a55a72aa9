// The gateway of the authentication specs: the routing fixture (cluster, operator, Envoy with the
// authn filter, echo backends), a backend that verifies signatures on its own, and Apps, Apis and
// SignatureKeys applied as a user would.
import path from 'node:path';
import { sign } from '@turnpike/sdk';
import { makeServingCert, type HttpCall } from '../../src';
import { startGateway, type Gateway } from '../routing/fixture';
import { startVerifyingBackend, type VerifyingBackend } from './verifier';

export interface Credentials {
  readonly key: string;
  readonly secret: string;
}

export const CLIENT = {
  key: '071fe245-9cf6-4d75-822d-c29945a1e06a',
  secret: 'c6e52419-2270-4cb8-8bd4-ae7fdd01dcd5',
  code: `ClientAppCode+${'x'.repeat(50)}/==`,
} as const;
export const OTHER = { key: 'other-app-key-0001', secret: 'other-app-secret-0001' } as const;
export const HMAC_KEY = { key: 'gateway-hmac-01', secret: 'hmac-secret-0123456789abcdef' } as const;
export const BASIC_KEY = { key: 'gateway', secret: 'basic-pa55word' } as const;

export interface AuthzWorld {
  readonly gw: Gateway;
  readonly verifier: VerifyingBackend;
  /** The default subdomain (plain HTTP). */
  readonly host: string;
  /** A bound domain with a certificate (HTTPS), and the CA that signed it. */
  readonly secureHost: string;
  readonly ca: string;
  stop(): Promise<void>;
}

function manifests(world: { gw: Gateway; verifier: VerifyingBackend; secureHost: string; cert: { cert: string; key: string } }): string {
  const { gw, verifier, secureHost, cert } = world;
  const indent = (pem: string): string => pem.trim().split('\n').map((l) => `    ${l}`).join('\n');
  const api = (name: string, spec: string): string => `---\napiVersion: turnpike.dev/v1alpha1\nkind: Api\nmetadata: {name: ${name}}\nspec:\n  groupRef: {name: shop}\n${spec}\n`;
  return `apiVersion: v1
kind: Secret
metadata: {name: shop-tls}
type: kubernetes.io/tls
stringData:
  tls.crt: |
${indent(cert.cert)}
  tls.key: |
${indent(cert.key)}
---
apiVersion: turnpike.dev/v1alpha1
kind: ApiGroup
metadata: {name: shop}
spec:
  domains: [{hostname: ${secureHost}, tls: {secretName: shop-tls}}]
  environments:
    - {name: RELEASE, variables: {port: "${gw.backends.release.port}"}}
    - {name: DEV, variables: {port: "${gw.backends.dev.port}"}}
${api('echo', '  method: ANY\n  path: /echo\n  matchMode: Prefix\n  auth: {type: APP, appCode: true}\n  environments: [RELEASE, DEV]\n  backend: {url: {scheme: HTTP, host: "127.0.0.1:#port#", path: /echo}}')}\
${api('no-code', '  method: GET\n  path: /no-code\n  auth: {type: APP}\n  backend: {url: {scheme: HTTP, host: "127.0.0.1:#port#", path: /no-code}}')}\
${api('open', '  method: ANY\n  path: /open\n  backend: {url: {scheme: HTTP, host: "127.0.0.1:#port#", path: /open}}')}\
${api('signed-backend', `  method: ANY\n  path: /signed\n  matchMode: Prefix\n  backend: {url: {scheme: HTTP, host: "127.0.0.1:${verifier.port}", path: /verify}, signatureKeyRef: {name: hmac}}`)}\
${api('basic-backend', `  method: ANY\n  path: /basic\n  backend: {url: {scheme: HTTP, host: "127.0.0.1:${verifier.port}", path: /basic-check}, signatureKeyRef: {name: basic}}`)}\
${api('app-signed', `  method: ANY\n  path: /orders/{id}\n  auth: {type: APP}\n  backend: {url: {scheme: HTTP, host: "127.0.0.1:${verifier.port}", path: "/v2/orders/{id}"}, signatureKeyRef: {name: hmac}}`)}\
---
apiVersion: v1
kind: Secret
metadata: {name: client-credentials}
stringData: {appKey: ${CLIENT.key}, appSecret: ${CLIENT.secret}, appCodes: "${CLIENT.code}"}
---
apiVersion: turnpike.dev/v1alpha1
kind: App
metadata: {name: client}
spec:
  credentialsSecretRef: {name: client-credentials}
  grants: [{kind: ApiGroup, name: shop, environments: [RELEASE]}]
---
apiVersion: v1
kind: Secret
metadata: {name: other-credentials}
stringData: {appKey: ${OTHER.key}, appSecret: ${OTHER.secret}}
---
apiVersion: turnpike.dev/v1alpha1
kind: App
metadata: {name: other}
spec:
  credentialsSecretRef: {name: other-credentials}
  grants: [{kind: Api, name: open}]
---
apiVersion: v1
kind: Secret
metadata: {name: hmac-signing}
stringData: {key: ${HMAC_KEY.key}, secret: ${HMAC_KEY.secret}}
---
apiVersion: turnpike.dev/v1alpha1
kind: SignatureKey
metadata: {name: hmac}
spec: {type: HMAC, secretRef: {name: hmac-signing}}
---
apiVersion: v1
kind: Secret
metadata: {name: basic-signing}
stringData: {key: ${BASIC_KEY.key}, secret: ${BASIC_KEY.secret}}
---
apiVersion: turnpike.dev/v1alpha1
kind: SignatureKey
metadata: {name: basic}
spec: {type: BASIC, secretRef: {name: basic-signing}}
`;
}

export async function startAuthzWorld(prefix: string): Promise<AuthzWorld> {
  const gw = await startGateway(prefix);
  const verifier = await startVerifyingBackend();
  verifier.hmac.set(HMAC_KEY.key, HMAC_KEY.secret);
  verifier.basic.set(BASIC_KEY.key, BASIC_KEY.secret);
  const host = `shop.${gw.namespace}.apigw.localhost`;
  const secureHost = `secure.${gw.namespace}.example.test`;
  const cert = makeServingCert(path.join(gw.dir, 'tls'), [secureHost]);
  await gw.apply(manifests({ gw, verifier, secureHost, cert }));
  // Every route served (a 404 is Envoy without the route yet), and the filter holding the Apps.
  for (const p of ['/echo', '/no-code', '/open', '/signed', '/basic', '/orders/1']) await gw.until({ host, path: p }, (r) => r.status !== 404, 30_000);
  await gw.until(signed({ host, path: '/echo' }), (r) => r.status === 200, 30_000);
  return {
    gw, verifier, host, secureHost, ca: cert.ca,
    stop: async () => {
      await verifier.close();
      await gw.stop();
    },
  };
}

export interface SignedCall {
  readonly method?: string;
  /** Path and query as a caller writes them (non-ASCII allowed: the URL encodes it). */
  readonly path: string;
  readonly host: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly app?: Credentials;
  readonly date?: Date;
  readonly unsignedPayload?: boolean;
}

/** A request signed the way Huawei's SDKs sign it (every header present, host, x-sdk-date). */
export function signed(call: SignedCall): Omit<HttpCall, 'port'> {
  const url = new URL(`http://${call.host}${call.path}`);
  const method = call.method ?? (call.body === undefined ? 'GET' : 'POST');
  const app = call.app ?? CLIENT;
  const headers = sign(
    { method, url: url.href, headers: call.headers ?? {}, body: call.body ?? '', unsignedPayload: call.unsignedPayload ?? false, date: call.date ?? new Date() },
    app,
  );
  return { host: call.host, path: `${url.pathname}${url.search}`, method, headers, ...(call.body === undefined ? {} : { body: call.body }) };
}
