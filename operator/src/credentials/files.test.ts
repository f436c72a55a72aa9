import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../log';
import { toResourceSet, type KubeObject } from '../resources/resourceset';
import { StateDirCredentials } from './files';
import { randomCredentials } from './generate';

const app = (name: string, spec: unknown = {}): KubeObject => ({ apiVersion: 'turnpike.dev/v1alpha1', kind: 'App', metadata: { name, namespace: 'team' }, spec });

describe('StateDirCredentials (standalone mode)', () => {
  it('generates once into 0600 files, keeps the values across reloads, and never overrides a manifest Secret', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'creds-'));
    const lines: string[] = [];
    const store = new StateDirCredentials(dir, randomCredentials, createLogger({ write: (l) => lines.push(l) }));
    const first = store.apply(toResourceSet([app('client')]).set).Secret.get('team/client-credentials');
    expect(Object.keys(first?.stringData ?? {}).sort()).toEqual(['appCodes', 'appKey', 'appSecret']);
    const file = path.join(dir, 'team', 'client-credentials.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = new StateDirCredentials(dir, randomCredentials, createLogger({ write: () => undefined })).apply(toResourceSet([app('client')]).set);
    expect(again.Secret.get('team/client-credentials')?.stringData).toEqual(first?.stringData);
    const own: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'client-credentials', namespace: 'team' }, stringData: { appKey: 'mine-0000' } };
    expect(store.apply(toResourceSet([app('client'), own]).set).Secret.get('team/client-credentials')?.stringData).toEqual({ appKey: 'mine-0000' });
    expect(lines.join('\n')).not.toContain(first?.stringData?.appSecret ?? 'x');
  });
});
