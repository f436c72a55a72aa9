/** Typed views of the chart's rendered workloads, shared by the helm and ha specs. */
import path from 'node:path';
import { repoRoot } from '../../src/harness';
import type { ChartValues, K8sObject } from '../../src/harness/helm';

export interface Probe {
  readonly httpGet?: { readonly path: string; readonly port: string | number };
  readonly tcpSocket?: { readonly port: string | number };
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: unknown;
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly args?: readonly string[];
  readonly command?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number }[];
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly startupProbe?: Probe;
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
  readonly securityContext?: Record<string, unknown>;
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean }[];
}

export interface Volume {
  readonly name: string;
  readonly configMap?: { readonly name: string };
  readonly secret?: { readonly secretName: string };
  readonly emptyDir?: { readonly sizeLimit?: string; readonly medium?: string };
}

export interface PodSpec {
  readonly initContainers?: readonly Container[];
  readonly containers: readonly Container[];
  readonly volumes?: readonly Volume[];
  readonly securityContext?: Record<string, unknown>;
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken?: boolean;
}

const fixtures = path.join(__dirname, 'fixtures');
export const customValues = path.join(fixtures, 'custom-values.yaml');
export const minimalValues = path.join(fixtures, 'minimal-values.yaml');
export const certManagerValues = path.join(fixtures, 'cert-manager-values.yaml');
const kindValues = path.join(repoRoot, 'hack', 'kind', 'values.yaml');
export const kindUpScript = path.join(repoRoot, 'hack', 'kind', 'up.sh');

const imageId = { 'turnpike.dev/image-id': 'sha256:4f2a7c1e9b0d3a5c8e6f1b2d4a6c8e0f2a4c6e8f0b2d4f6a8c0e2b4d6f8a0c2e' };
/** Everything hack/kind/up.sh gives helm: the kind values file, then its --set flags (default IMAGE). */
export const kindUpValues: ChartValues = {
  files: [kindValues],
  set: {
    'image.repository': 'turnpike/turnpike', 'image.tag': 'dev',
    'controlPlane.podAnnotations': imageId, 'envoy.podAnnotations': imageId,
  },
};

export function podSpec(workload: K8sObject): PodSpec {
  const spec = workload.spec as { template?: { spec?: PodSpec } } | undefined;
  if (spec?.template?.spec === undefined) throw new Error(`${workload.kind} ${workload.metadata.name} has no pod template`);
  return spec.template.spec;
}

export function container(workload: K8sObject, name: string): Container {
  const found = podSpec(workload).containers.find((c) => c.name === name);
  if (found === undefined) throw new Error(`${workload.metadata.name} has no container ${name}`);
  return found;
}

export function initContainer(workload: K8sObject, name: string): Container {
  const found = podSpec(workload).initContainers?.find((c) => c.name === name);
  if (found === undefined) throw new Error(`${workload.metadata.name} has no init container ${name}`);
  return found;
}

/** The number behind a named container port (probes refer to ports by name). */
export function portNumber(c: Container, port: string | number): number {
  if (typeof port === 'number') return port;
  const found = c.ports?.find((p) => p.name === port);
  if (found === undefined) throw new Error(`container ${c.name} has no port named ${port}`);
  return found.containerPort;
}

/** The value of `--flag=value` or `--flag value` in args (the last one wins, as in the CLI). */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  args.forEach((arg, i) => {
    if (arg.startsWith(`${flag}=`)) value = arg.slice(flag.length + 1);
    else if (arg === flag) value = args[i + 1];
  });
  return value;
}

/** Kubelet's $(VAR) expansion of args from the container's environment. */
export function expandArgs(args: readonly string[], env: Readonly<Record<string, string>>): string[] {
  return args.map((arg) => arg.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole));
}

export function envValue(c: Container, name: string): string | undefined {
  return c.env?.find((e) => e.name === name)?.value;
}
