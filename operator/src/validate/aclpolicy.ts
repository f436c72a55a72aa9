/**
 * AclPolicy: the CEL rules of crds/turnpike.dev_aclpolicies.yaml in CRD order, then the check the
 * CRD leaves to the operator because CEL cannot compare addresses: a range a-b needs a <= b.
 * Addresses are read as the API server's CEL library reads them (ip.ts).
 */
import type { AclPolicySpec } from '../api/types';
import { cel, check, DNS_SUBDOMAIN, environmentRule, type Rule } from './common';
import { compareIps, hasNoHostBits, parseCidr, parseIp, parseRange } from './ip';

/** A range whose start is above its end matches nothing: almost certainly swapped ends. */
function rangeOrder(self: string): [string, string][] {
  const range = parseRange(self);
  if (range === undefined || range[0].family !== range[1].family || compareIps(range[0], range[1]) <= 0) return [];
  return [['', `ips: a range must not start above its end (write ${self.split('-').reverse().join('-')})`]];
}

export const aclPolicyRules: readonly Rule[] = [
  cel<AclPolicySpec>('.spec', 'ips is required when type is IP', (self) => self.type !== 'IP' || self.ips !== undefined, '.ips'),
  cel<AclPolicySpec>('.spec', 'ips is only allowed when type is IP', (self) => self.type === 'IP' || self.ips === undefined, '.ips'),
  cel<AclPolicySpec>('.spec', 'apps is required when type is APP', (self) => self.type !== 'APP' || self.apps !== undefined, '.apps'),
  cel<AclPolicySpec>('.spec', 'apps is only allowed when type is APP', (self) => self.type === 'APP' || self.apps === undefined, '.apps'),
  cel<string>('.spec.targetRefs[].name', 'targetRefs: name must be an object name (lowercase RFC 1123 subdomain)', (self) =>
    DNS_SUBDOMAIN.test(self),
  ),
  environmentRule('.spec.environments[]'),
  cel<string>(
    '.spec.ips[]',
    'ips: each entry must be an IP address (10.0.0.1), a CIDR (10.0.0.0/24) or a range of two addresses (10.0.0.1-10.0.0.9)',
    (self) => parseIp(self) !== undefined || parseCidr(self) !== undefined || parseRange(self) !== undefined,
  ),
  cel<string>('.spec.ips[]', 'ips: both ends of a range must be addresses of the same family (IPv4-IPv4 or IPv6-IPv6)', (self) => {
    const range = parseRange(self);
    return range === undefined || range[0].family === range[1].family;
  }),
  cel<string>('.spec.ips[]', 'ips: a CIDR must not have host bits set (write 10.0.0.0/24, not 10.0.0.5/24)', (self) => {
    const cidr = parseCidr(self);
    return cidr === undefined || hasNoHostBits(cidr);
  }),
  cel<string>('.spec.apps[]', 'apps: each entry must be an App name (lowercase RFC 1123 subdomain)', (self) => DNS_SUBDOMAIN.test(self)),
  // Checks the CRD leaves to the operator.
  check<string>('.spec.ips[]', 'a range a-b has a <= b', rangeOrder),
];
