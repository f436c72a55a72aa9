/**
 * App: the CEL rules of crds/turnpike.dev_apps.yaml in CRD order. Credentials live in a Secret,
 * whose formats are checked when the Secret is resolved (api/secrets.ts, reason InvalidSecret).
 */
import { cel, DNS_SUBDOMAIN, environmentRule, type Rule } from './common';

export const appRules: readonly Rule[] = [
  cel<string>('.spec.credentialsSecretRef.name', 'credentialsSecretRef.name must be a Secret name (lowercase RFC 1123 subdomain)', (self) =>
    DNS_SUBDOMAIN.test(self),
  ),
  cel<string>('.spec.grants[].name', 'grants: name must be an object name (lowercase RFC 1123 subdomain)', (self) => DNS_SUBDOMAIN.test(self)),
  environmentRule('.spec.grants[].environments[]'),
  cel<number>(
    '.spec.quota.interval',
    'quota.interval must be 1: the rate-limit service (envoyproxy/ratelimit) only counts windows of one unit; pick a larger unit instead',
    (self) => self === 1,
  ),
];
