/**
 * ApiGroup: the CEL rules of crds/turnpike.dev_apigroups.yaml, one entry per rule, in CRD order.
 * Every rule is a CEL rule; the API server checks everything about a group that the spec alone
 * decides (hostname conflicts between groups are the translator's, reason Conflicted).
 */
import type { Domain, ObjectMeta } from '../api/types';
import { cel, DNS_1035_LABEL, DNS_SUBDOMAIN, environmentRule, size, type Rule } from './common';
import { parseIp } from './ip';

const HOSTNAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const VARIABLE_VALUE = /^[A-Za-z0-9_\-/.:]*$/;

type Variables = Readonly<Record<string, string>>;

export const apiGroupRules: readonly Rule[] = [
  cel<{ metadata: ObjectMeta }>(
    '',
    "metadata.name: an ApiGroup name must be a DNS label (at most 63 lowercase letters, digits and '-', starting with a letter) because it becomes the first label of the default subdomain",
    (self) => {
      const name = self.metadata?.name;
      return name === undefined || (DNS_1035_LABEL.test(name) && size(name) <= 63);
    },
  ),
  cel<Domain>(
    '.spec.domains[]',
    'domains: httpsRedirect requires tls (set tls.secretName or set httpsRedirect to false)',
    (self) => self.httpsRedirect !== true || self.tls !== undefined,
    '.httpsRedirect',
  ),
  cel<string>('.spec.domains[].hostname', 'hostname: wildcard domains are not allowed; bind each hostname explicitly', (self) => !self.includes('*')),
  cel<string>(
    '.spec.domains[].hostname',
    "hostname must be a lowercase RFC 1123 DNS name such as api.example.com (letters, digits, '-' and '.')",
    (self) => self.includes('*') || HOSTNAME.test(self),
  ),
  cel<string>('.spec.domains[].hostname', 'hostname: each dot-separated label must be at most 63 characters', (self) =>
    self.split('.').every((label) => size(label) <= 63),
  ),
  cel<string>('.spec.domains[].hostname', 'hostname must be a DNS name, not an IP address', (self) => parseIp(self) === undefined),
  cel<string>('.spec.domains[].tls.secretName', 'tls.secretName must be a Secret name (lowercase RFC 1123 subdomain)', (self) =>
    DNS_SUBDOMAIN.test(self),
  ),
  environmentRule('.spec.environments[].name'),
  cel<Variables>('.spec.environments[].variables', 'variable names must be 3-32 characters long', (self) =>
    Object.keys(self).every((name) => size(name) >= 3 && size(name) <= 32),
  ),
  cel<Variables>(
    '.spec.environments[].variables',
    "variable names must start with a letter and contain only letters, digits, '-' and '_'",
    (self) => Object.keys(self).every((name) => VARIABLE_NAME.test(name)),
  ),
  cel<string>('.spec.environments[].variables{}', 'variable values may contain only letters, digits and _ - / . : (1-255 characters)', (self) =>
    VARIABLE_VALUE.test(self),
  ),
];
