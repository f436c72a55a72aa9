/**
 * SignatureKey: the CEL rule of crds/turnpike.dev_signaturekeys.yaml. The key and secret formats
 * (which depend on the type) are checked on the Secret when it is resolved (api/secrets.ts).
 */
import { cel, DNS_SUBDOMAIN, type Rule } from './common';

export const signatureKeyRules: readonly Rule[] = [
  cel<string>('.spec.secretRef.name', 'secretRef.name must be a Secret name (lowercase RFC 1123 subdomain)', (self) => DNS_SUBDOMAIN.test(self)),
];
