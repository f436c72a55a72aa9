// The bench's Apis: one ApiGroup, one backend, Apis that differ only in their policies and auth.
export const HOST = 'bench.example.com';
/** The App that signs the APP-authenticated Apis' calls. */
export const BENCH_APP = { key: 'bench-app-key-0001', secret: 'bench-app-secret-0001' };

export interface Variant {
  readonly name: string;
  readonly label: string;
  readonly acl: boolean;
  /** The ThrottlePolicy's limits (none: no policy), all out of reach so every call is counted and passes. */
  readonly throttle: readonly ('api' | 'app' | 'ip')[];
  readonly precision?: 'Fast' | 'Exact';
  /** Auth APP: every call SDK-HMAC-SHA256-signed and verified in Envoy. */
  readonly signed: boolean;
  /** Run without --apis (the others only when named). */
  readonly byDefault: boolean;
}

const variant = (v: Partial<Variant> & Pick<Variant, 'name' | 'label'>): Variant => ({ acl: false, throttle: [], signed: false, byDefault: true, ...v });

export const VARIANTS: readonly Variant[] = [
  variant({ name: 'plain', label: 'plain (auth NONE, no policy)' }),
  variant({ name: 'acl', label: 'acl (IP AclPolicy)', acl: true }),
  variant({ name: 'fast', label: 'throttle Fast (api+ip, in Envoy)', throttle: ['api', 'ip'], precision: 'Fast' }),
  variant({ name: 'exact', label: 'throttle Exact (api+ip, ratelimit + Redis)', throttle: ['api', 'ip'], precision: 'Exact' }),
  variant({ name: 'policed', label: 'policed (APP signed, Fast api+app+ip, IP AclPolicy)', acl: true, throttle: ['api', 'app', 'ip'], precision: 'Fast', signed: true }),
  // One descriptor per call instead of two: what each counted limit adds.
  variant({ name: 'api', label: 'api (Exact ThrottlePolicy, api only)', throttle: ['api'], precision: 'Exact', byDefault: false }),
  // policed's parts: app authentication alone, then with the Fast limits.
  variant({ name: 'app', label: 'app (APP signed, no policy)', signed: true, byDefault: false }),
  variant({ name: 'appfast', label: 'appfast (APP signed, Fast api+app+ip)', throttle: ['api', 'app', 'ip'], precision: 'Fast', signed: true, byDefault: false }),
];

export function manifests(backendPort: number, variants: readonly Variant[]): string {
  const api = (v: Variant): string => `---
apiVersion: turnpike.dev/v1alpha1
kind: Api
metadata: {name: ${v.name}, namespace: bench}
spec: {groupRef: {name: bench}, method: GET, path: /${v.name}, auth: {type: ${v.signed ? 'APP' : 'NONE'}}, backend: {url: {scheme: HTTP, host: "127.0.0.1:${backendPort}", path: /}}}
`;
  const throttle = (v: Variant): string => v.throttle.length === 0 ? '' : `---
apiVersion: turnpike.dev/v1alpha1
kind: ThrottlePolicy
metadata: {name: ${v.name}, namespace: bench}
spec: {targetRefs: [{kind: Api, name: ${v.name}}], window: {unit: MINUTE}, precision: ${v.precision ?? 'Exact'}, limits: {${v.throttle.map((l) => `${l}: 2000000000`).join(', ')}}}
`;
  const acl = (v: Variant): string => !v.acl ? '' : `---
apiVersion: turnpike.dev/v1alpha1
kind: AclPolicy
metadata: {name: ${v.name}, namespace: bench}
spec: {targetRefs: [{kind: Api, name: ${v.name}}], action: ALLOW, type: IP, ips: [127.0.0.0/8]}
`;
  const app = `---
apiVersion: v1
kind: Secret
metadata: {name: bench-app, namespace: bench}
stringData: {appKey: ${BENCH_APP.key}, appSecret: ${BENCH_APP.secret}}
---
apiVersion: turnpike.dev/v1alpha1
kind: App
metadata: {name: bench-app, namespace: bench}
spec: {credentialsSecretRef: {name: bench-app}, grants: [{kind: ApiGroup, name: bench}]}
`;
  return `apiVersion: turnpike.dev/v1alpha1
kind: ApiGroup
metadata: {name: bench, namespace: bench}
spec: {domains: [{hostname: ${HOST}}], defaultSubdomain: {enabled: false}}
${app}${variants.map((v) => `${api(v)}${throttle(v)}${acl(v)}`).join('')}`;
}
