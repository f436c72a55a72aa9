/**
 * Standalone mode's app authentication: authz runs in this process, its ext_authz gRPC server on
 * a loopback port that Envoy reaches through the `turnpike-authz` cluster (delivered over ADS),
 * and its configuration fetched over ADS from the xDS server of this same process, like a
 * cluster's authz would. Generated credentials live in the state directory
 * (credentials/files.ts). Secrets cross only loopback.
 */
import path from 'node:path';
import { startAuthz, type RunningAuthz } from '@turnpike/authz';
import { authzFleet } from '@turnpike/xds-server';
import type { Config, StandaloneConfig } from './config';
import { randomCredentials } from './credentials/generate';
import { StateDirCredentials } from './credentials/files';
import type { Logger } from './log';
import type { ResourceSet } from './provider/resourceset';

export interface LocalAuthz {
  /** The configuration with `gateway.authz` pointing at the in-process authz. */
  readonly config: Config;
  readonly authz?: RunningAuthz;
  /** Adds the generated credential Secrets to a set from the files provider. */
  withCredentials(set: ResourceSet): ResourceSet;
  /** Starts fetching authz's configuration from the xDS server on `xdsPort`. */
  connect(xdsPort: number): void;
  stop(): Promise<void>;
}

function loopback(host: string): string {
  return host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
}

export async function startLocalAuthz(config: Config, mode: StandaloneConfig, log: Logger): Promise<LocalAuthz> {
  const credentials = new StateDirCredentials(path.resolve(mode.stateDir, 'credentials'), randomCredentials, log.child({ component: 'credentials' }));
  const withCredentials = (set: ResourceSet): ResourceSet => credentials.apply(set);
  // --authz-address names an authz of its own: nothing to run here.
  if (config.gateway.authz !== undefined) {
    return { config, withCredentials, connect: () => undefined, stop: () => Promise.resolve() };
  }
  const authz = await startAuthz({ fleet: authzFleet(config.gateway.fleet), nodeId: `standalone-authz-${process.pid}`, listen: '127.0.0.1:0', log: log.child({ component: 'authz' }) });
  return {
    config: { ...config, gateway: { ...config.gateway, authz: { host: '127.0.0.1', port: authz.port } } },
    authz,
    withCredentials,
    connect: (xdsPort) => { authz.connect(`${loopback(config.xds.host)}:${xdsPort}`); },
    stop: () => authz.stop(),
  };
}
