// The golden translation cases: operator/testdata/cases/<case>.in.yaml, the manifests a user writes
// (several documents a file), plus the examples/ folder as the case `examples`. A document of kind
// GatewayConfig (apiVersion golden.turnpike.dev/v1) is no manifest: it overrides the operator's
// command-line configuration for its case (spec: a partial GatewayConfig, a field set to null is
// unset; plus `envoys`, the Envoys connected). An optional <case>.before.yaml is translated first by
// the same Translator: the manifests as they were before an edit (the last valid generation).
import fs from 'node:fs';
import path from 'node:path';
import type { GatewayConfig, KubeObject } from '../..';
import { readManifestFile, readManifests } from '../../provider/files';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
export const CASES_DIR = path.join(ROOT, 'operator', 'testdata', 'cases');
const EXAMPLES_DIR = path.join(ROOT, 'examples');
export const IN = '.in.yaml';
export const OUT = '.out.yaml';
const BEFORE = '.before.yaml';
const CONFIG_API_VERSION = 'golden.turnpike.dev/v1';

/** What the cases run with unless they say otherwise: every optional feature of the gateway on. */
const BASE_CONFIG: GatewayConfig = {
  baseDomain: 'apigw.example.com', fleet: 'golden', httpPort: 8080, httpsPort: 8443, httpsPublicPort: 443, trustedProxyHops: 0, listenAddress: '0.0.0.0',
  rateLimit: { host: 'ratelimit.turnpike-system', port: 8081 },
  // The Envoy check swaps in the built module (xds-server/src/translate/testing/envoy.ts).
  authnModule: '/var/lib/turnpike/libturnpike_authn.so',
};

export interface GoldenCase {
  readonly name: string;
  readonly objects: readonly KubeObject[];
  readonly config: GatewayConfig;
  /** Envoys connected to the control plane: each serves 1/envoys of a Fast limit. */
  readonly envoys: number;
  /** The manifests of an earlier pass (before.yaml), translated first. */
  readonly before?: readonly KubeObject[];
}

function isConfig(object: KubeObject): boolean {
  return object.apiVersion === CONFIG_API_VERSION && object.kind === 'GatewayConfig';
}

type Overrides = Partial<GatewayConfig> & { readonly envoys?: number };

/** The case's configuration: the base, then its GatewayConfig documents; a field set to null is unset. */
function fromObjects(name: string, all: readonly KubeObject[]): GoldenCase {
  const overrides = all.filter(isConfig).map((o) => (o.spec ?? {}) as Record<string, unknown>);
  const merged = Object.entries(Object.assign({ ...BASE_CONFIG }, ...overrides) as Record<string, unknown>).filter(([, value]) => value !== null);
  const { envoys = 1, ...config } = Object.fromEntries(merged) as unknown as GatewayConfig & Overrides;
  return { name, objects: all.filter((o) => !isConfig(o)), config, envoys };
}

/** The case names with an input file, sorted. */
export function caseNames(): string[] {
  return fs.readdirSync(CASES_DIR).filter((f) => f.endsWith(IN)).map((f) => f.slice(0, -IN.length)).sort();
}

/** Every case: the examples first, then the files. */
export function loadCases(): GoldenCase[] {
  return [
    fromObjects('examples', readManifests(EXAMPLES_DIR)),
    ...caseNames().map((name) => {
      const golden = fromObjects(name, readManifestFile(path.join(CASES_DIR, `${name}${IN}`)));
      const before = path.join(CASES_DIR, `${name}${BEFORE}`);
      return fs.existsSync(before) ? { ...golden, before: readManifestFile(before) } : golden;
    }),
  ];
}

/** Output files whose case is gone: `examples` and every `<case>.in.yaml` have one. */
export function orphanOutputs(): string[] {
  const cases = new Set(['examples', ...caseNames()]);
  return fs.readdirSync(CASES_DIR).filter((f) => f.endsWith(OUT) && !cases.has(f.slice(0, -OUT.length))).sort();
}
