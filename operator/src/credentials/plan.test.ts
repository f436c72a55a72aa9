import { CredentialFormats } from '../api';
import { toResourceSet, type KubeObject } from '../resources/resourceset';
import { randomCredentials } from './generate';
import { planGeneratedSecrets, type CredentialGenerator } from './plan';

let counter = 0;
const fixed: CredentialGenerator = {
  appKey: () => `key-${++counter}`,
  appSecret: () => `secret-${++counter}`,
  appCode: () => `code-${++counter}`,
  signatureKey: (type) => `${type}-key`,
  signatureSecret: (type) => `${type}-secret`,
};
const object = (kind: string, name: string, spec: unknown, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: kind === 'Secret' ? 'v1' : 'turnpike.dev/v1alpha1', kind, metadata: { name, namespace: 'team', uid: `uid-${name}` }, spec, ...extra,
});

describe('planGeneratedSecrets', () => {
  beforeEach(() => { counter = 0; });

  it('creates <app>-credentials and <key>-signature for objects that name no Secret, owned by them', () => {
    const { set } = toResourceSet([
      object('App', 'client', {}), object('App', 'own', { credentialsSecretRef: { name: 'mine' } }),
      object('SignatureKey', 'backend', { type: 'BASIC' }), object('SignatureKey', 'ref', { type: 'HMAC', secretRef: { name: 'x' } }),
    ]);
    expect(planGeneratedSecrets(set, fixed)).toEqual([
      { namespace: 'team', name: 'backend-signature', owner: { kind: 'SignatureKey', name: 'backend', uid: 'uid-backend' }, action: 'create', values: { key: 'BASIC-key', secret: 'BASIC-secret' } },
      { namespace: 'team', name: 'client-credentials', owner: { kind: 'App', name: 'client', uid: 'uid-client' }, action: 'create', values: { appKey: 'key-1', appSecret: 'secret-2', appCodes: 'code-3' } },
    ]);
  });

  it('fills in only the keys a generated Secret lacks, never AppCodes someone removed, and nothing when complete', () => {
    const partial = object('Secret', 'client-credentials', undefined, { data: { appKey: Buffer.from('mine').toString('base64') } });
    expect(planGeneratedSecrets(toResourceSet([object('App', 'client', {}), partial]).set, fixed)).toEqual([
      expect.objectContaining({ name: 'client-credentials', action: 'complete', values: { appSecret: 'secret-1' } }),
    ]);
    const complete = object('Secret', 'client-credentials', undefined, { stringData: { appKey: 'a', appSecret: 'b' } });
    expect(planGeneratedSecrets(toResourceSet([object('App', 'client', {}), complete]).set, fixed)).toEqual([]);
  });

  it('generates values in Huawei formats', () => {
    for (let i = 0; i < 50; i += 1) {
      expect(randomCredentials.appKey()).toMatch(CredentialFormats.appKey);
      expect(randomCredentials.appSecret()).toMatch(CredentialFormats.appSecret);
      expect(randomCredentials.appCode()).toMatch(CredentialFormats.appCode);
      expect(randomCredentials.signatureKey('HMAC')).toMatch(CredentialFormats.hmacKey);
      expect(randomCredentials.signatureSecret('HMAC')).toMatch(CredentialFormats.hmacSecret);
      expect(randomCredentials.signatureKey('BASIC')).toMatch(CredentialFormats.basicKey);
      expect(randomCredentials.signatureSecret('BASIC')).toMatch(CredentialFormats.basicSecret);
    }
  });
});
