// Request builders for protocol unit tests.
import type { DeltaDiscoveryRequest, DiscoveryRequest } from '../messages';

const NODE = { id: 'node-1', cluster: 'fleet', user_agent_name: 'test' };

export function sotw(typeUrl: string, options: { names?: readonly string[]; nonce?: string; version?: string; error?: string } = {}): DiscoveryRequest {
  return {
    version_info: options.version ?? '', node: NODE, resource_names: options.names ?? [], type_url: typeUrl,
    response_nonce: options.nonce ?? '', error_detail: options.error === undefined ? undefined : { code: 3, message: options.error },
  };
}

export function delta(typeUrl: string, options: {
  subscribe?: readonly string[]; unsubscribe?: readonly string[]; nonce?: string; error?: string;
  initial?: Readonly<Record<string, string>>;
} = {}): DeltaDiscoveryRequest {
  return {
    node: NODE, type_url: typeUrl, resource_names_subscribe: options.subscribe ?? [], resource_names_unsubscribe: options.unsubscribe ?? [],
    initial_resource_versions: new Map(Object.entries(options.initial ?? {})), response_nonce: options.nonce ?? '',
    error_detail: options.error === undefined ? undefined : { code: 3, message: options.error },
  };
}
