import { errorsOf, specOf } from './testing';

describe('SignatureKey rules', () => {
  it('type is required; the secret reference is optional', () => {
    expect(specOf('SignatureKey', { type: 'HMAC' })).toEqual({ type: 'HMAC' });
    expect(errorsOf('SignatureKey', {})).toEqual([
      'spec.type: Required value',
      'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
    ]);
  });

  it('secretRef.name is a Secret name; secret values never sit in the spec', () => {
    expect(errorsOf('SignatureKey', { type: 'BASIC', secretRef: { name: 'Key_1' } })).toEqual([
      'spec.secretRef.name: secretRef.name must be a Secret name (lowercase RFC 1123 subdomain)',
    ]);
    expect(errorsOf('SignatureKey', { type: 'BASIC', secretRef: { name: 'k' }, secret: 's' })).toEqual(['unknown field "spec.secret"']);
  });
});
