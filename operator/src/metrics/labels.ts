// Label values with a bounded set: what a client sends never becomes a new series.
import { TYPE_URLS } from '@turnpike/xds-server';

/** Type URL → the message name (`Cluster`, `RouteConfiguration`, …); anything else a client asks for is `other`. */
const TYPE_NAMES: ReadonlyMap<string, string> = new Map(Object.values(TYPE_URLS).map((url) => [url, url.slice(url.lastIndexOf('.') + 1)]));

export function typeLabel(typeUrl: string): string {
  return TYPE_NAMES.get(typeUrl) ?? 'other';
}

/** A fleet this control plane serves, else `other` (any client may name any fleet). */
export function fleetLabel(fleets: readonly string[], fleet: string): string {
  return fleets.includes(fleet) ? fleet : 'other';
}
