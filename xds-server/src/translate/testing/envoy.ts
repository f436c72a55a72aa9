// The authoritative check: real Envoy (`--mode validate`) must accept what the translator emits.
// ADS resources become one static bootstrap: scopes listed in their HCM (scoped_routes'
// scoped_route_configurations_list) with their RDS route configurations inlined,
// EDS assignments as load_assignment of STATIC clusters, SDS secrets as static secrets, ECDS filter
// configurations inline (the authn filter loading the module `make setup` built, found by name in
// the component cache). Several
// translations share one bootstrap (one Envoy start) with names prefixed `<case>:`.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { resourcesByType, type EnvoyResources } from '..';
import { TYPE_URLS } from '../../proto/type-urls';
import { isJsonObject, stringField, type JsonObject, type JsonValue } from '../json';

const run = promisify(execFile);

/** A component `make setup` installs (TURNPIKE_CACHE overrides the cache, as in the e2e harness). */
function installed(name: string): string {
  const cache = process.env.TURNPIKE_CACHE ?? path.join(os.homedir(), '.cache', 'turnpike');
  const file = path.join(cache, 'bin', name);
  if (!fs.existsSync(file)) throw new Error(`${name} is not installed (no ${file}): run \`make setup\``);
  return file;
}

export function envoyBinary(): string {
  return installed('envoy');
}

/** Envoy's environment: it loads the authn module (dataplane/authn-module) by name from this directory. */
function moduleEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ENVOY_DYNAMIC_MODULES_SEARCH_PATH: path.dirname(installed('libturnpike_authn.so')) };
}

function omit(object: JsonObject, key: string): JsonObject {
  return Object.fromEntries(Object.entries(object).filter(([name]) => name !== key));
}

/** Bottom-up rewrite of every object in a JSON tree. */
function rewrite(value: JsonValue, hook: (object: JsonObject) => JsonObject): JsonValue {
  if (Array.isArray(value)) return (value as readonly JsonValue[]).map((item) => rewrite(item, hook));
  if (!isJsonObject(value)) return value;
  return hook(Object.fromEntries(Object.entries(value).map(([key, field]) => [key, rewrite(field, hook)])));
}

/** A static scope list may not be empty (SRDS may): a world without groups gets one no host selects. */
const NO_SCOPE: JsonObject = { name: 'no-scope', key: { fragments: [{ string_key: 'no-scope.invalid' }, { string_key: 'none' }] }, route_configuration: { name: 'no-scope' } };

/** Every scope (Envoy subscribes each HCM to all of them), its route configuration inlined. */
function staticScopes(resources: EnvoyResources, prefix: string): JsonObject[] {
  const routes = resourcesByType(resources, TYPE_URLS.routeConfiguration);
  const scopes = [...resourcesByType(resources, TYPE_URLS.scopedRouteConfiguration).values()];
  if (scopes.length === 0) return [NO_SCOPE];
  return scopes.map((scope) => {
    const wanted = stringField(scope, 'route_configuration_name');
    const config = routes.get(wanted);
    if (config === undefined) throw new Error(`scope ${stringField(scope, 'name')} needs missing route configuration ${wanted}`);
    // Route actions name clusters: prefix them like the clusters.
    const inlined = rewrite(config, (o) => (typeof o.cluster === 'string' ? { ...o, cluster: prefix + o.cluster } : o));
    return { ...omit(scope, 'route_configuration_name'), route_configuration: inlined };
  });
}

function inlineExtension(resources: EnvoyResources, name: string): JsonValue {
  const extension = resourcesByType(resources, TYPE_URLS.extensionConfig).get(name);
  if (extension === undefined) throw new Error(`filter ${name} has no ECDS resource`);
  return extension['typed_config'] ?? null;
}

function staticListener(listener: JsonObject, resources: EnvoyResources, prefix: string, port: number): JsonObject {
  const scopes = staticScopes(resources, prefix);
  const rewritten = rewrite(listener, (object) => {
    if (isJsonObject(object.scoped_rds)) {
      return { ...omit(object, 'scoped_rds'), scoped_route_configurations_list: { scoped_route_configurations: scopes } };
    }
    // SDS by name from static secrets: drop the ADS source.
    if (typeof object.name === 'string' && isJsonObject(object.sds_config)) return { name: prefix + object.name };
    // ECDS by name: the filter's configuration inline, loading the built module.
    if (typeof object.name === 'string' && isJsonObject(object.config_discovery)) return { name: object.name, typed_config: inlineExtension(resources, object.name) };
    return object;
  }) as JsonObject;
  return { ...rewritten, name: prefix + stringField(listener, 'name'), address: { socket_address: { address: '127.0.0.1', port_value: port } } };
}

function staticCluster(cluster: JsonObject, resources: EnvoyResources, prefix: string): JsonObject {
  const name = prefix + stringField(cluster, 'name');
  if (cluster.type !== 'EDS') {
    const assignment = cluster.load_assignment;
    return isJsonObject(assignment) ? { ...cluster, name, load_assignment: { ...assignment, cluster_name: name } } : { ...cluster, name };
  }
  const assignment = resourcesByType(resources, TYPE_URLS.clusterLoadAssignment).get(stringField(cluster, 'name'));
  if (assignment === undefined) throw new Error(`EDS cluster ${name} has no ClusterLoadAssignment`);
  return { ...omit(cluster, 'eds_cluster_config'), name, type: 'STATIC', load_assignment: { ...assignment, cluster_name: name } };
}

/** One static bootstrap holding every case's resources, names prefixed `<case>:`; firstPort 0 = ephemeral ports. */
export function staticBootstrap(cases: ReadonlyMap<string, EnvoyResources>, firstPort = 20000): JsonObject {
  const listeners: JsonObject[] = [];
  const clusters: JsonObject[] = [];
  const secrets: JsonObject[] = [];
  let port = firstPort;
  for (const [name, resources] of cases) {
    const prefix = `${name}:`;
    for (const listener of resourcesByType(resources, TYPE_URLS.listener).values()) listeners.push(staticListener(listener, resources, prefix, firstPort === 0 ? 0 : port++));
    for (const cluster of resourcesByType(resources, TYPE_URLS.cluster).values()) clusters.push(staticCluster(cluster, resources, prefix));
    for (const secret of resourcesByType(resources, TYPE_URLS.secret).values()) secrets.push({ ...secret, name: prefix + stringField(secret, 'name') });
  }
  // Scoped routing needs a node id and cluster, as the real bootstrap sets them.
  return { node: { id: 'validate', cluster: 'validate' }, static_resources: { listeners, clusters, secrets } };
}

/** Runs `envoy --mode validate`; resolves with Envoy's output, rejects with it when Envoy refuses. */
export async function envoyValidate(bootstrap: JsonObject): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'turnpike-validate-'));
  const file = path.join(dir, 'bootstrap.json');
  fs.writeFileSync(file, JSON.stringify(bootstrap, null, 2));
  try {
    const { stdout, stderr } = await run(envoyBinary(), ['--mode', 'validate', '-c', file, '--log-level', 'warn', '--disable-hot-restart'], { maxBuffer: 16 * 1024 * 1024, env: moduleEnv() });
    fs.rmSync(dir, { recursive: true, force: true });
    return `${stdout}${stderr}`;
  } catch (error: unknown) {
    const detail = error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr) : String(error);
    throw new Error(`Envoy rejected the configuration (kept in ${file}):\n${detail}`);
  }
}
