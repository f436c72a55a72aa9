/**
 * ThrottlePolicy: the CEL rules of crds/turnpike.dev_throttlepolicies.yaml in CRD order. Two
 * policies on one Api and environment are a conflict the translator reports (reason Conflicted).
 */
import type { ThrottleLimits, ThrottlePolicySpec } from '../api/types';
import { cel, DNS_SUBDOMAIN, environmentRule, type Rule } from './common';

/** CEL compares `limit <= api`; a missing value (already reported as required) passes. */
const atMost = (value: number | undefined, api: number | undefined): boolean => value === undefined || api === undefined || value <= api;

export const throttlePolicyRules: readonly Rule[] = [
  cel<ThrottlePolicySpec>(
    '.spec',
    'specialApps: each limit must not exceed limits.api',
    (self) => (self.specialApps ?? []).every((s) => atMost(s.limit, self.limits?.api)),
    '.specialApps',
  ),
  cel<ThrottlePolicySpec>(
    '.spec',
    "precision Fast counts in each Envoy's memory, which an Envoy restart empties: it is only for SECOND and MINUTE windows; use precision Exact (the default for HOUR and DAY)",
    (self) => self.precision !== 'Fast' || self.window?.unit === undefined || self.window.unit === 'SECOND' || self.window.unit === 'MINUTE',
    '.precision',
  ),
  cel<string>('.spec.targetRefs[].name', 'targetRefs: name must be an object name (lowercase RFC 1123 subdomain)', (self) =>
    DNS_SUBDOMAIN.test(self),
  ),
  environmentRule('.spec.environments[]'),
  cel<number>(
    '.spec.window.interval',
    'window.interval must be 1: the rate-limit service (envoyproxy/ratelimit) only counts windows of one unit; pick a larger unit instead',
    (self) => self === 1,
  ),
  cel<ThrottleLimits>('.spec.limits', 'limits.app must not exceed limits.api', (self) => atMost(self.app, self.api), '.app'),
  cel<ThrottleLimits>('.spec.limits', 'limits.ip must not exceed limits.api', (self) => atMost(self.ip, self.api), '.ip'),
  cel<string>('.spec.specialApps[].name', 'specialApps: name must be an App name (lowercase RFC 1123 subdomain)', (self) =>
    DNS_SUBDOMAIN.test(self),
  ),
];
