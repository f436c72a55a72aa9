// The schema layer in the API server's words. Every expected message below is what kube-apiserver
// 1.34.4 printed for the same spec (recorded with kubectl create --dry-run=server).
import { compileSpecValidators, findCrdsDir, loadCrds } from './schema';
import { schemas } from './testing';

const messagesOf = (kind: 'Api' | 'ApiGroup' | 'AclPolicy' | 'ThrottlePolicy' | 'App', spec: unknown): string[] => {
  const check = schemas.get(kind);
  if (check === undefined) throw new Error(`no schema for ${kind}`);
  return check(spec).issues.map((issue) => issue.message);
};
const api = (extra: Record<string, unknown>): Record<string, unknown> => ({
  groupRef: { name: 'g' }, method: 'GET', path: '/x', backend: { mock: {} }, ...extra,
});
const acl = (extra: Record<string, unknown>): Record<string, unknown> => ({
  targetRefs: [{ kind: 'Api', name: 'x' }], action: 'DENY', type: 'IP', ips: ['10.0.0.1'], ...extra,
});

describe('schema: OpenAPI errors as the API server prints them', () => {
  it.each([
    ['required', acl({ action: undefined }), 'spec.action: Required value'],
    ['enum', acl({ action: 'PERMIT' }), 'spec.action: Unsupported value: "PERMIT": supported values: "ALLOW", "DENY"'],
    ['maxItems', acl({ ips: Array.from({ length: 101 }, (_, i) => `10.0.${i}.1`) }), 'spec.ips: Too many: 101: must have at most 100 items'],
    ['minItems', acl({ ips: [] }), 'spec.ips: Invalid value: 0: spec.ips in body should have at least 1 items'],
    ['minLength', acl({ ips: [''] }), 'spec.ips[0]: Invalid value: "": spec.ips[0] in body should be at least 1 chars long'],
    ['maxLength', acl({ description: 'd'.repeat(256) }), 'spec.description: Too long: may not be more than 255 bytes'],
  ])('%s', (_keyword, spec, message) => {
    expect(messagesOf('AclPolicy', JSON.parse(JSON.stringify(spec)))).toEqual([message]);
  });

  it('minimum and maximum', () => {
    expect(messagesOf('Api', api({ backend: { mock: {}, retries: 11, timeoutMs: 0 } }))).toEqual([
      'spec.backend.timeoutMs: Invalid value: 0: spec.backend.timeoutMs in body should be greater than or equal to 1',
      'spec.backend.retries: Invalid value: 11: spec.backend.retries in body should be less than or equal to 10',
    ]);
  });

  it('wrong types, integer versus number, and an enum on a wrong type', () => {
    expect(messagesOf('ThrottlePolicy', { targetRefs: [{ kind: 'Api', name: 'x' }], limits: { api: '10', app: 1.5 } })).toEqual([
      'spec.limits.api: Invalid value: "string": spec.limits.api in body must be of type integer: "string"',
      'spec.limits.app: Invalid value: "number": spec.limits.app in body must be of type integer: "number"',
    ]);
    expect(messagesOf('Api', api({ matchMode: 5 }))).toEqual([
      'spec.matchMode: Invalid value: "integer": spec.matchMode in body must be of type string: "integer"',
      'spec.matchMode: Unsupported value: 5: supported values: "Exact", "Prefix"',
    ]);
  });

  it('counts characters, not bytes, for maxLength', () => {
    expect(messagesOf('Api', api({ description: '€'.repeat(255) }))).toEqual([]);
  });

  it('spells map keys with a dot and array items with brackets', () => {
    expect(messagesOf('ApiGroup', { environments: [{ name: 'DEV', variables: { greeting: '' } }] })).toEqual([
      'spec.environments[0].variables.greeting: Invalid value: "": spec.environments[0].variables.greeting in body should be at least 1 chars long',
    ]);
  });

  it('marks the errors after which the API server skips CEL rules', () => {
    const check = schemas.get('AclPolicy');
    const blocking = (spec: unknown): boolean[] => check?.(spec).issues.map((i) => i.blocking) ?? [];
    expect(blocking(acl({ action: 'PERMIT' }))).toEqual([true]);
    expect(blocking(acl({ ips: [] }))).toEqual([false]);
    expect(blocking(acl({ ips: ['10.0.0.1', '10.0.0.1'] }))).toEqual([false]);
  });
});

describe('schema: what the API server does before validating', () => {
  it('drops null fields and null map values, then defaults them', () => {
    const check = schemas.get('Api');
    const result = check?.(api({ auth: null, environments: null, backend: { mock: { headers: { a: null } }, timeoutMs: null } }));
    expect(result?.issues).toEqual([]);
    expect(result?.spec).toMatchObject({ auth: { type: 'NONE', appCode: false }, environments: ['RELEASE'], backend: { timeoutMs: 5000, mock: { headers: {} } } });
  });

  it('keeps nulls inside lists, which fail the type check', () => {
    expect(messagesOf('ApiGroup', { environments: [null] })).toEqual([
      'spec.environments[0]: Invalid value: "null": spec.environments[0] in body must be of type object: "null"',
    ]);
  });

  it('does not modify its input', () => {
    const spec = acl({ description: null });
    schemas.get('AclPolicy')?.(spec);
    expect(spec).toEqual(acl({ description: null }));
  });

  it('reports unknown fields alone, named as strict decoding names them', () => {
    expect(messagesOf('ApiGroup', { domains: [{ hostname: 'a.b', foo: 1, tls: { secretName: 'x', bar: 2 } }], description: 'd'.repeat(300) })).toEqual([
      'unknown field "spec.domains[0].foo"',
      'unknown field "spec.domains[0].tls.bar"',
    ]);
    // An object where the schema has a string or a list has only unknown fields.
    expect(messagesOf('Api', api({ groupRef: { name: { in: 'x' } }, environments: { name: 'DEV' } }))).toEqual([
      'unknown field "spec.groupRef.name.in"',
      'unknown field "spec.environments.name"',
    ]);
    expect(messagesOf('Api', api({ backend: { mock: { headers: { 'a b': { c: 1 } } } } }))).toEqual(['unknown field "spec.backend.mock.headers.a b.c"']);
  });
});

describe('schema: x-kubernetes-list-type', () => {
  it('reports each repeated value once, at its second occurrence', () => {
    expect(messagesOf('AclPolicy', acl({ ips: ['1.2.3.4', '1.2.3.4', '1.2.3.4', '2.2.2.2', '2.2.2.2'] }))).toEqual([
      'spec.ips[1]: Duplicate value: "1.2.3.4"',
      'spec.ips[4]: Duplicate value: "2.2.2.2"',
    ]);
  });

  it('compares map lists by their keys after defaulting, printing the keys sorted', () => {
    const targetRefs = [{ kind: 'Api', name: 'x' }, { kind: 'Api', name: 'x', group: 'turnpike.dev' }, { kind: 'ApiGroup', name: 'x' }];
    expect(messagesOf('AclPolicy', acl({ targetRefs }))).toEqual(['spec.targetRefs[1]: Duplicate value: {"group":"turnpike.dev","kind":"Api","name":"x"}']);
    expect(messagesOf('Api', api({ parameters: [{ name: 'q', in: 'QUERY' }, { name: 'q', in: 'HEADER' }, { in: 'QUERY', name: 'q', type: 'NUMBER' }] }))).toEqual([
      'spec.parameters[2]: Duplicate value: {"in":"QUERY","name":"q"}',
    ]);
  });

  it('leaves a missing key out of the printed key', () => {
    expect(messagesOf('AclPolicy', acl({ targetRefs: [{ kind: 'Api' }, { kind: 'Api' }] }))).toContain('spec.targetRefs[1]: Duplicate value: {"group":"turnpike.dev","kind":"Api"}');
  });

  it('checks nested lists (enum values of a parameter)', () => {
    expect(messagesOf('Api', api({ parameters: [{ name: 'q', in: 'QUERY', enum: ['a', 'a'] }] }))).toEqual(['spec.parameters[0].enum[1]: Duplicate value: "a"']);
  });

  it('needs objects in a map list', () => {
    expect(messagesOf('ThrottlePolicy', { targetRefs: [{ kind: 'Api', name: 'x' }, 'x', 1.5], limits: { api: 1 } })).toContain(
      'spec.targetRefs[1]: Invalid value: "x": must be an object for an array of list-type map',
    );
  });
});

describe('schema: compileSpecValidators (the original surface) is unchanged', () => {
  const validators = compileSpecValidators(loadCrds(findCrdsDir()));
  it('keeps Ajv-style messages and defaults', () => {
    expect(validators.get('Api')?.(api({ method: 'FETCH' }))).toEqual({ ok: false, errors: ['spec.method: must be one of GET, POST, PUT, DELETE, HEAD, PATCH, OPTIONS, ANY'] });
    expect(validators.get('App')?.(undefined)).toEqual({ ok: true, spec: {} });
  });
});
