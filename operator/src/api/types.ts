/**
 * TypeScript shapes of the turnpike.dev/v1alpha1 resources, field for field as in crds/*.yaml
 * (the CRDs are the source of truth; docs/reference/ explains each field). Fields the API server
 * defaults are still optional here: objects read from files (standalone mode) are not defaulted,
 * so consumers apply the documented defaults themselves.
 */
import type { ConditionReason, ConditionType } from './conditions';

export const GROUP = 'turnpike.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = 'turnpike.dev/v1alpha1';

/** Kind → plural resource name, for REST paths and informers. */
export const PLURALS = {
  ApiGroup: 'apigroups',
  Api: 'apis',
  App: 'apps',
  ThrottlePolicy: 'throttlepolicies',
  AclPolicy: 'aclpolicies',
  SignatureKey: 'signaturekeys',
} as const;
export type Kind = keyof typeof PLURALS;

/** The part of metav1.ObjectMeta Turnpike reads. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly generation?: number;
  readonly resourceVersion?: string;
  readonly creationTimestamp?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** metav1.Condition restricted to Turnpike's types and closed list of reasons. */
export interface Condition {
  readonly type: ConditionType;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly observedGeneration?: number;
  /** RFC 3339 time. */
  readonly lastTransitionTime: string;
  readonly reason: ConditionReason;
  readonly message: string;
}

/** Status fields every kind has. */
export interface CommonStatus {
  readonly observedGeneration?: number;
  /** Set while the current generation is invalid and the last valid one is served instead: that generation. */
  readonly servedGeneration?: number;
  readonly conditions?: readonly Condition[];
}

/** A reference by name to an object in the same namespace. */
export interface LocalObjectReference {
  readonly name: string;
}

export type TimeUnit = 'SECOND' | 'MINUTE' | 'HOUR' | 'DAY';

/** Policy attachment target (ThrottlePolicy, AclPolicy). */
export interface TargetRef {
  /** Always turnpike.dev (the default). */
  readonly group?: typeof GROUP;
  readonly kind: 'Api' | 'ApiGroup';
  readonly name: string;
}

// ApiGroup ----------------------------------------------------------------------------------

export interface DomainTls {
  /** A kubernetes.io/tls Secret in the group's namespace. */
  readonly secretName: string;
}

export interface Domain {
  /** Lowercase RFC 1123 DNS name, no wildcard, unique within the group. */
  readonly hostname: string;
  readonly tls?: DomainTls;
  /** Default TLSv1.2. */
  readonly minTlsVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Default false; true requires tls. */
  readonly httpsRedirect?: boolean;
}

export interface Environment {
  /** 3-64 chars, ^[A-Za-z][A-Za-z0-9_]*$; RELEASE may be listed to give it variables. */
  readonly name: string;
  /** Name (3-32, case-sensitive) → value (1-255 of [A-Za-z0-9_\-/.:]); at most 50. */
  readonly variables?: Readonly<Record<string, string>>;
}

export interface ApiGroupSpec {
  readonly description?: string;
  /** At most 5, unique by hostname. */
  readonly domains?: readonly Domain[];
  /** Default {enabled: true}: serve <name>.<namespace>.<baseDomain>, 1,000 calls/day. */
  readonly defaultSubdomain?: { readonly enabled?: boolean };
  /** At most 10, unique by name. */
  readonly environments?: readonly Environment[];
}

export interface ApiGroupStatus extends CommonStatus {
  readonly subdomain?: string;
}

// Api ---------------------------------------------------------------------------------------

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD' | 'PATCH' | 'OPTIONS' | 'ANY';

export interface ApiAuth {
  /** Default NONE. */
  readonly type?: 'NONE' | 'APP';
  /** Accept X-Apig-AppCode (HTTPS only); requires type APP. Default false. */
  readonly appCode?: boolean;
}

export interface ApiParameter {
  /** 1-32 chars, ^[A-Za-z][A-Za-z0-9_.-]*$, not reserved (see docs/reference/api.md). */
  readonly name: string;
  readonly in: 'PATH' | 'QUERY' | 'HEADER';
  /** Default STRING. */
  readonly type?: 'STRING' | 'NUMBER';
  /** PATH parameters are always required; QUERY/HEADER default to optional. */
  readonly required?: boolean;
  /** Only for optional QUERY/HEADER parameters. */
  readonly default?: string;
  readonly enum?: readonly string[];
  /** NUMBER only. */
  readonly minimum?: number;
  /** NUMBER only. */
  readonly maximum?: number;
  /** STRING only. */
  readonly minLength?: number;
  /** STRING only. */
  readonly maxLength?: number;
  /** Default true. */
  readonly passThrough?: boolean;
}

export interface ServiceBackend {
  /** A Service in the Api's namespace. */
  readonly name: string;
  readonly port: number;
  /** Starts with '/'; may contain {param} and #Var#. */
  readonly path: string;
}

export interface UrlBackend {
  /** Default HTTPS. */
  readonly scheme?: 'HTTP' | 'HTTPS';
  /** host[:port]; host and port may be #Var#. */
  readonly host: string;
  /** Starts with '/'; may contain {param} and #Var#. */
  readonly path: string;
}

export interface MockBackend {
  /** 200-599 (what Envoy can answer itself), default 200. */
  readonly status?: number;
  /** At most 2048 characters. */
  readonly body?: string;
  /** At most 10. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Exactly one of service, url and mock is set. */
export interface ApiBackend {
  readonly service?: ServiceBackend;
  readonly url?: UrlBackend;
  readonly mock?: MockBackend;
  /** 1-600000, default 5000. */
  readonly timeoutMs?: number;
  /** -1..10, default -1 (retry idempotent methods once). */
  readonly retries?: number;
  /** Not allowed with mock. */
  readonly signatureKeyRef?: LocalObjectReference;
}

export interface ApiSpec {
  readonly groupRef: LocalObjectReference;
  readonly description?: string;
  readonly method: HttpMethod;
  /** ≤512, starts with '/', whole-segment {p}, trailing {p+} only with Exact. */
  readonly path: string;
  /** Default Exact. */
  readonly matchMode?: 'Exact' | 'Prefix';
  /** Default BOTH. */
  readonly protocol?: 'HTTP' | 'HTTPS' | 'BOTH';
  readonly auth?: ApiAuth;
  /** Default false. */
  readonly cors?: boolean;
  /** At most 50, unique by (name, in). */
  readonly parameters?: readonly ApiParameter[];
  readonly backend: ApiBackend;
  /** Default [RELEASE]; [] = offline everywhere. */
  readonly environments?: readonly string[];
}

export type ApiStatus = CommonStatus;

// App ---------------------------------------------------------------------------------------

export interface Grant {
  readonly kind: 'Api' | 'ApiGroup';
  readonly name: string;
  /** Default [RELEASE]. */
  readonly environments?: readonly string[];
}

export interface Quota {
  /** 1-2147483647. */
  readonly limit: number;
  readonly unit: TimeUnit;
  /** Only 1 (the default) is accepted. */
  readonly interval?: number;
}

export interface AppSpec {
  readonly description?: string;
  /** Secret with appKey, appSecret, appCodes; generated as <app>-credentials when absent. */
  readonly credentialsSecretRef?: LocalObjectReference;
  /** At most 100, unique by (kind, name). */
  readonly grants?: readonly Grant[];
  readonly quota?: Quota;
}

export interface AppStatus extends CommonStatus {
  readonly appKey?: string;
}

// ThrottlePolicy ----------------------------------------------------------------------------

export interface ThrottleLimits {
  /** 1-2147483647. */
  readonly api: number;
  /** ≤ api. */
  readonly app?: number;
  /** ≤ api. */
  readonly ip?: number;
}

export interface SpecialApp {
  readonly name: string;
  /** ≤ limits.api. */
  readonly limit: number;
}

export interface ThrottlePolicySpec {
  readonly description?: string;
  /** 1-100, unique. */
  readonly targetRefs: readonly TargetRef[];
  /** Default [RELEASE]. */
  readonly environments?: readonly string[];
  /** Default {unit: MINUTE, interval: 1}; interval must be 1. */
  readonly window?: { readonly unit?: TimeUnit; readonly interval?: number };
  readonly limits: ThrottleLimits;
  /** Default PerApi. */
  readonly counting?: 'PerApi' | 'Shared';
  /** At most 30, unique by name. */
  readonly specialApps?: readonly SpecialApp[];
  /** Default FailOpen; Exact only (Fast never calls a service). */
  readonly failureMode?: 'FailOpen' | 'FailClosed';
  /** Default Fast for SECOND and MINUTE windows, Exact for HOUR and DAY; Fast only with SECOND or MINUTE. */
  readonly precision?: 'Fast' | 'Exact';
}

export type ThrottlePolicyStatus = CommonStatus;

// AclPolicy ---------------------------------------------------------------------------------

export interface AclPolicySpec {
  readonly description?: string;
  readonly targetRefs: readonly TargetRef[];
  /** Default [RELEASE]. */
  readonly environments?: readonly string[];
  readonly action: 'ALLOW' | 'DENY';
  readonly type: 'IP' | 'APP';
  /** type IP only: IPs, CIDRs and a-b ranges, 1-100. */
  readonly ips?: readonly string[];
  /** type APP only: App names, 1-100. */
  readonly apps?: readonly string[];
}

export type AclPolicyStatus = CommonStatus;

// SignatureKey ------------------------------------------------------------------------------

export interface SignatureKeySpec {
  readonly description?: string;
  readonly type: 'HMAC' | 'BASIC';
  /** Secret with keys key and secret; generated as <name>-signature when absent. */
  readonly secretRef?: LocalObjectReference;
}

export type SignatureKeyStatus = CommonStatus;

// Objects -----------------------------------------------------------------------------------

/** A turnpike.dev object of kind K. */
export interface Resource<K extends Kind, S, St> {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: K;
  readonly metadata: ObjectMeta;
  readonly spec: S;
  readonly status?: St;
}

export type ApiGroup = Resource<'ApiGroup', ApiGroupSpec, ApiGroupStatus>;
export type Api = Resource<'Api', ApiSpec, ApiStatus>;
export type App = Resource<'App', AppSpec, AppStatus>;
export type ThrottlePolicy = Resource<'ThrottlePolicy', ThrottlePolicySpec, ThrottlePolicyStatus>;
export type AclPolicy = Resource<'AclPolicy', AclPolicySpec, AclPolicyStatus>;
export type SignatureKey = Resource<'SignatureKey', SignatureKeySpec, SignatureKeyStatus>;
