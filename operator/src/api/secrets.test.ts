import { CredentialFormats, generatedCredentialsSecretName, generatedSignatureSecretName } from './secrets';

describe('credential formats (Huawei limits, docs/huawei-compatibility.md §3 and §9)', () => {
  const cases: readonly [keyof typeof CredentialFormats, string, boolean][] = [
    ['appKey', '071fe245-9cf6-4d75-822d-c29945a1e06a', true],
    ['appKey', 'a'.repeat(8), true],
    ['appKey', 'a'.repeat(7), false],
    ['appKey', 'a'.repeat(201), false],
    ['appKey', '-abcdefgh', false],
    ['appSecret', 'c6e52419-2270-4cb8-8bd4-ae7fdd01dcd5', true],
    ['appSecret', `a${'!@#$%'.repeat(25)}`, true],
    ['appSecret', 'a'.repeat(129), false],
    ['appCode', `+${'A'.repeat(63)}`, true],
    ['appCode', 'A'.repeat(63), false],
    ['appCode', 'A'.repeat(181), false],
    ['appCode', `_${'A'.repeat(63)}`, false],
    ['hmacKey', 'demo-backend-key', true],
    ['hmacKey', 'short', false],
    ['hmacSecret', 'x'.repeat(16), true],
    ['hmacSecret', 'x'.repeat(15), false],
    ['basicKey', 'user', true],
    ['basicKey', '1user', false],
    ['basicSecret', 'password', true],
    ['basicSecret', 'x'.repeat(65), false],
  ];

  it.each(cases)('%s %s → %s', (format, value, valid) => {
    expect(CredentialFormats[format].test(value)).toBe(valid);
  });

  it('names generated Secrets after their owner', () => {
    expect(generatedCredentialsSecretName('shop')).toBe('shop-credentials');
    expect(generatedSignatureSecretName('orders')).toBe('orders-signature');
  });
});
