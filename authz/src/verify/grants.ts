/**
 * Authorisation (reference §3): an App calls an Api in an environment only when granted that Api,
 * or its whole ApiGroup, in that environment; otherwise 403 APIG.0304.
 */
import type { GrantConfig } from '../config/model';

export interface ApiInEnvironment {
  /** `<namespace>/<name>` of the Api. */
  readonly api: string;
  /** `<namespace>/<name>` of its ApiGroup. */
  readonly group: string;
  readonly environment: string;
}

export function isGranted(grants: readonly GrantConfig[], target: ApiInEnvironment): boolean {
  return grants.some((grant) => {
    const name = grant.kind === 'Api' ? target.api : target.group;
    return grant.target === name && grant.environments.has(target.environment);
  });
}
