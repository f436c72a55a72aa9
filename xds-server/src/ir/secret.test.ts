import { inspect } from 'node:util';
import { REDACTED, SecretValue } from './secret';

describe('SecretValue', () => {
  const secret = new SecretValue('-----BEGIN PRIVATE KEY-----abc');

  it('never prints its value', () => {
    expect(JSON.stringify({ key: secret })).toBe(`{"key":"${REDACTED}"}`);
    expect(String(secret)).toBe(REDACTED);
    expect(inspect({ key: secret })).not.toContain('PRIVATE');
  });

  it('reveals it on request and compares by value', () => {
    expect(secret.reveal()).toBe('-----BEGIN PRIVATE KEY-----abc');
    expect(secret.equals(new SecretValue('-----BEGIN PRIVATE KEY-----abc'))).toBe(true);
    expect(secret.equals(new SecretValue('other'))).toBe(false);
  });
});
