// Shared by the translate tests: the CRD-schema validator and a gateway configuration.
import type { GatewayConfig } from '../config';
import { compileSpecValidators, findCrdsDir, loadCrds } from '../validate/schema';
import type { ValidateFn } from './types';

const validators = compileSpecValidators(loadCrds(findCrdsDir()));

/** Schema validation with defaults (the kinds' own rules are tested in validate/). */
export const validate: ValidateFn = (kind, object) => {
  const check = validators.get(kind);
  if (check === undefined) throw new Error(`no validator for ${kind}`);
  const result = check(object.spec);
  return result.ok ? result : { ok: false, errors: result.errors };
};

export const testGateway: GatewayConfig = {
  baseDomain: 'apigw.example.com', fleet: 'test', httpPort: 8080, httpsPort: 8443, httpsPublicPort: 443, trustedProxyHops: 0, listenAddress: '0.0.0.0',
};
