// The census annotation of one replica (census.ts): pure, so it is tested without a client.
import { createHash } from 'node:crypto';

export const CENSUS_PREFIX = 'envoys.turnpike.dev/';

/** An annotation name part is at most 63 characters: long identities are shortened with a hash. */
export function censusKey(identity: string): string {
  const name = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/.test(identity) ? identity : `${identity.replace(/[^A-Za-z0-9]/g, '').slice(0, 40)}-${createHash('sha256').update(identity).digest('hex').slice(0, 16)}`;
  return `${CENSUS_PREFIX}${name}`;
}
