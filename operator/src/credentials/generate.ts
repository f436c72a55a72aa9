/**
 * Random credentials in Huawei's formats (docs/huawei-compatibility.md §3, §9; api/secrets.ts CredentialFormats):
 * UUID-style AppKey and AppSecret as in every Huawei example, a 64-character base64 AppCode, and
 * signature keys within the hmac/basic limits. From node:crypto's CSPRNG.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { CredentialGenerator } from './plan';

export const randomCredentials: CredentialGenerator = {
  appKey: () => randomUUID(),
  appSecret: () => randomUUID(),
  appCode: () => randomBytes(48).toString('base64'),
  signatureKey: (type) => `gw${randomBytes(type === 'HMAC' ? 12 : 8).toString('hex')}`,
  signatureSecret: (type) => randomBytes(type === 'HMAC' ? 24 : 16).toString('hex'),
};
