/**
 * charts/turnpike carries two things whose source lives elsewhere, generated here so they cannot
 * drift (the helm specs fail when the committed copies differ; `make chart-sync` rewrites them):
 *   crds/*.yaml              copies of crds/ (Helm installs a chart's crds/ verbatim; a symlink
 *                            would make every helm command warn and breaks Git-based installers)
 *   files/envoy-bootstrap.json  envoyBootstrap() with the chart's defaults; the ConfigMap template
 *                            overrides only the fleet, the xDS address, the admin and metrics ports, the
 *                            ADS flavour and the xDS server's name (or drops xDS TLS), and the specs
 *                            check the rendered result equals envoyBootstrap() called with the same values.
 *   files/envoy-sds/*.json   xdsTlsSdsFiles(): where Envoy reads its xDS client certificate.
 */
import fs from 'node:fs';
import path from 'node:path';
import { envoyBootstrap, xdsTlsSdsFiles, type BootstrapOptions, type XdsClientTls } from '@turnpike/xds-server';
import { repoRoot } from './cluster';

export const chartDir = path.join(repoRoot, 'charts', 'turnpike');

/** Envoy's xDS TLS in the chart: the Secret's mount (templates/_helpers.tpl turnpike.xdsTlsDir), the ConfigMap's. */
export const CHART_XDS_TLS: XdsClientTls = { certDir: '/etc/turnpike/xds-tls', sdsDir: '/etc/envoy', serverName: 'turnpike-xds' };

/** The options the committed bootstrap file is generated with (values.yaml's defaults). */
const CHART_BOOTSTRAP_DEFAULTS: BootstrapOptions = {
  nodeId: 'turnpike-envoy',
  fleet: 'turnpike',
  xdsHost: 'turnpike-xds',
  xdsPort: 18000,
  apiType: 'DELTA_GRPC',
  adminPort: 9901,
  metricsPort: 9902,
  xdsTls: CHART_XDS_TLS,
};

const crdHeader = (file: string): string =>
  `# Generated from crds/${file} by \`make chart-sync\`: edit crds/${file}, not this copy.\n`;

/** Every generated file of the chart: path relative to the chart → content. */
function generatedChartFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const crds = path.join(repoRoot, 'crds');
  for (const file of fs.readdirSync(crds).filter((f) => f.endsWith('.yaml')).sort()) {
    files.set(`crds/${file}`, crdHeader(file) + fs.readFileSync(path.join(crds, file), 'utf8'));
  }
  files.set('files/envoy-bootstrap.json', `${JSON.stringify(envoyBootstrap(CHART_BOOTSTRAP_DEFAULTS), null, 2)}\n`);
  for (const [file, content] of Object.entries(xdsTlsSdsFiles(CHART_XDS_TLS))) files.set(`files/envoy-sds/${file}`, `${JSON.stringify(content, null, 2)}\n`);
  return files;
}

/** Generated files that are missing or differ, and stale CRD copies (chart-relative paths). */
export function chartDrift(): string[] {
  const expected = generatedChartFiles();
  const drift: string[] = [];
  for (const [file, content] of expected) {
    const actual = path.join(chartDir, file);
    if (!fs.existsSync(actual) || fs.readFileSync(actual, 'utf8') !== content) drift.push(file);
  }
  const crdCopies = fs.existsSync(path.join(chartDir, 'crds')) ? fs.readdirSync(path.join(chartDir, 'crds')) : [];
  for (const file of crdCopies) if (!expected.has(`crds/${file}`)) drift.push(`crds/${file} (stale)`);
  return drift;
}

/** Rewrites the generated files (`make chart-sync`). */
export function writeChartFiles(): void {
  const expected = generatedChartFiles();
  const crdDir = path.join(chartDir, 'crds');
  fs.mkdirSync(crdDir, { recursive: true });
  for (const file of fs.readdirSync(crdDir)) if (!expected.has(`crds/${file}`)) fs.rmSync(path.join(crdDir, file));
  for (const [file, content] of expected) {
    fs.mkdirSync(path.dirname(path.join(chartDir, file)), { recursive: true });
    fs.writeFileSync(path.join(chartDir, file), content);
  }
}
