import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_SECRET_FIELD_SELECTOR, DESCRIPTORS, LAST_APPLIED, buildResourceSet, collectionPath, normalise, patchResourceSet, type ResourceDescriptor } from './informers-set';
import { changedKeys, type Kind, type KubeObject } from '../resources/resourceset';

const descriptor = (kind: Kind): ResourceDescriptor => {
  const found = DESCRIPTORS.find((d) => d.kind === kind);
  if (found === undefined) throw new Error(kind);
  return found;
};

describe('informer descriptors', () => {
  it('watch every kind the operator reads, at the right REST paths', () => {
    expect(DESCRIPTORS.map((d) => d.kind)).toEqual(['ApiGroup', 'Api', 'App', 'ThrottlePolicy', 'AclPolicy', 'SignatureKey', 'Secret', 'Service', 'EndpointSlice']);
    expect(collectionPath(descriptor('ThrottlePolicy'))).toBe('/apis/turnpike.dev/v1alpha1/throttlepolicies');
    expect(collectionPath(descriptor('Secret'), 'team-a')).toBe('/api/v1/namespaces/team-a/secrets');
    expect(collectionPath(descriptor('EndpointSlice'))).toBe('/apis/discovery.k8s.io/v1/endpointslices');
  });

  it('keep service-account tokens and Helm releases out of the Secret cache, but not TLS or Opaque', () => {
    expect(DEFAULT_SECRET_FIELD_SELECTOR).toContain('type!=kubernetes.io/service-account-token');
    expect(DEFAULT_SECRET_FIELD_SELECTOR).toContain('type!=helm.sh/release.v1');
    expect(DEFAULT_SECRET_FIELD_SELECTOR).not.toContain('kubernetes.io/tls');
    expect(DEFAULT_SECRET_FIELD_SELECTOR).not.toContain('Opaque');
  });
});

describe('normalise', () => {
  it('sets apiVersion and kind (list items of built-in types omit them), drops managedFields, freezes', () => {
    const raw = {
      metadata: { name: 's', namespace: 'n', creationTimestamp: new Date(Date.UTC(2025, 0, 1)), managedFields: [{ manager: 'kubectl' }] },
      type: 'Opaque',
      data: { appKey: 'YWJj' },
    };
    const object = normalise(descriptor('Secret'), raw);
    expect(object).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'n', creationTimestamp: '2025-01-01T00:00:00.000Z' },
      type: 'Opaque',
      data: { appKey: 'YWJj' },
    });
    expect(Object.isFrozen(object)).toBe(true);
    expect(Object.isFrozen(object?.data)).toBe(true);
    expect(raw.metadata.managedFields).toHaveLength(1);
  });

  it('drops the status of core objects and keeps only addresses and readiness of EndpointSlice endpoints', () => {
    expect(normalise(descriptor('Service'), { metadata: { name: 's' }, spec: { ports: [{ port: 80 }] }, status: { loadBalancer: {} } })).not.toHaveProperty('status');
    const slice = normalise(descriptor('EndpointSlice'), {
      metadata: { name: 'e', labels: { 'kubernetes.io/service-name': 's' } }, addressType: 'IPv4', ports: [{ port: 80 }],
      endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: false, serving: true }, nodeName: 'n1', targetRef: { kind: 'Pod', name: 'p' } }, { addresses: ['10.0.0.2'] }],
    });
    expect(slice?.endpoints).toEqual([{ addresses: ['10.0.0.1'], conditions: { ready: false } }, { addresses: ['10.0.0.2'] }]);
    expect(normalise(descriptor('Api'), { metadata: { name: 'a' }, spec: {}, status: { observedGeneration: 1 } })).toHaveProperty('status');
  });

  it("drops kubectl's last-applied annotation and keeps the others", () => {
    const raw = { metadata: { name: 'a', namespace: 'n', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":true}', note: 'x' } }, spec: {} };
    expect(normalise(descriptor('Api'), raw)?.metadata.annotations).toEqual({ note: 'x' });
  });

  it('drops those fields only where Kubernetes puts them: a Secret key or a spec field of the same name stays', () => {
    const secret = normalise(descriptor('Secret'), { metadata: { name: 's', managedFields: [] }, data: { managedFields: 'eA==', [LAST_APPLIED]: 'eQ==', status: 'eg==' } });
    expect(secret?.data).toEqual({ managedFields: 'eA==', [LAST_APPLIED]: 'eQ==', status: 'eg==' });
    expect(secret?.metadata).toEqual({ name: 's' });
  });

  it('ignores objects without a name', () => {
    expect(normalise(descriptor('Api'), { metadata: {} })).toBeUndefined();
    expect(normalise(descriptor('Api'), null)).toBeUndefined();
  });
});

describe('buildResourceSet', () => {
  const api = (namespace: string, name: string): KubeObject => ({ apiVersion: 'turnpike.dev/v1alpha1', kind: 'Api', metadata: { name, namespace } });

  it('has every kind, keyed namespace/name in sorted order whatever the event order', () => {
    const set = buildResourceSet(new Map([['Api', [api('b', 'x'), api('a', 'y'), api('a', 'x')]]]));
    expect([...set.Api.keys()]).toEqual(['a/x', 'a/y', 'b/x']);
    expect(set.Secret.size).toBe(0);
    expect(Object.keys(set).sort()).toEqual(DESCRIPTORS.map((d) => d.kind).sort());
    expect(Object.isFrozen(set)).toBe(true);
  });

  it('patches the previous set: unchanged kinds keep their map, updates keep the order, additions and deletions re-sort', () => {
    const first = buildResourceSet(new Map([['Api', [api('a', 'y'), api('a', 'x')]], ['ApiGroup', [api('a', 'g')]]]));
    const rebuilt: Kind[] = [];
    const caches = new Map<Kind, KubeObject[]>();
    const objects = (kind: Kind): KubeObject[] => { rebuilt.push(kind); return caches.get(kind) ?? []; };

    const edited = api('a', 'x');
    const second = patchResourceSet(first, new Map([['Api', new Map([['a/x', edited]])]]), objects);
    expect(second.ApiGroup).toBe(first.ApiGroup);
    expect([...second.Api.keys()]).toEqual(['a/x', 'a/y']);
    expect(second.Api.get('a/x')).toBe(edited);
    expect(first.Api.get('a/x')).not.toBe(edited);
    expect(rebuilt).toEqual([]);
    // The patch is recorded with the set it patched: consumers that saw `first` look only at a/x.
    expect(changedKeys(second, first)).toEqual(new Map([['Api', new Set(['a/x'])]]));
    expect(changedKeys(second, second)).toBeUndefined();
    expect(changedKeys(first, undefined)).toBeUndefined();

    caches.set('Api', [api('a', 'y'), api('a', 'w'), edited]);
    const added = patchResourceSet(second, new Map([['Api', new Map([['a/w', api('a', 'w')]])]]), objects);
    expect([...added.Api.keys()]).toEqual(['a/w', 'a/x', 'a/y']);
    caches.set('Api', [api('a', 'w'), edited]);
    const deleted = patchResourceSet(added, new Map([['Api', new Map([['a/y', undefined]])]]), objects);
    expect([...deleted.Api.keys()]).toEqual(['a/w', 'a/x']);
    expect(rebuilt).toEqual(['Api', 'Api']);
    expect(Object.isFrozen(deleted)).toBe(true);
  });

  it('does not keep the set it patched alive', async () => {
    const caches = (): KubeObject[] => [];
    const first = buildResourceSet(new Map([['Api', [api('a', 'x')]]]));
    // A chain of patches, as a long-running operator makes: each set only weakly knows the one before.
    const last = ((): { set: ReturnType<typeof buildResourceSet>; middle: WeakRef<object> } => {
      const middle = patchResourceSet(first, new Map([['Api', new Map([['a/x', api('a', 'x')]])]]), caches);
      return { set: patchResourceSet(middle, new Map([['Api', new Map([['a/x', api('a', 'x')]])]]), caches), middle: new WeakRef(middle) };
    })();
    // WeakRef targets stay alive until the current job ends.
    await new Promise((resolve) => { setImmediate(resolve); });
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    expect(last.middle.deref()).toBeUndefined();
    expect(changedKeys(last.set, first)).toBeUndefined();
  });
});
