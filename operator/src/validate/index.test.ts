import { ValidateFault, validateObject } from './index';
import { schemas } from './testing';

const group = (metadata: unknown, spec?: unknown): unknown => ({ apiVersion: 'turnpike.dev/v1alpha1', kind: 'ApiGroup', metadata, spec });

describe('validateObject', () => {
  it('returns the typed, defaulted spec and leaves the object alone', () => {
    const object = group({ name: 'demo', namespace: 'shop' }, {});
    const result = validateObject('ApiGroup', object, schemas);
    expect(result).toEqual({ ok: true, spec: { defaultSubdomain: { enabled: true } } });
    expect(object).toEqual(group({ name: 'demo', namespace: 'shop' }, {}));
    if (result.ok) expect(result.spec.defaultSubdomain?.enabled).toBe(true);
  });

  it('checks metadata as the API server does for every object', () => {
    expect(validateObject('ApiGroup', group({}, {}), schemas)).toEqual({ ok: false, errors: ['metadata.name: Required value'] });
    expect(validateObject('ApiGroup', group({ name: 'demo', namespace: 'Shop_1' }, {}), schemas)).toEqual({
      ok: false,
      errors: [expect.stringContaining('metadata.namespace: Invalid value: "Shop_1": a lowercase RFC 1123 label')],
    });
    expect(validateObject('App', { metadata: { name: 'a'.repeat(254) } }, schemas)).toEqual({
      ok: false,
      errors: [`metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`],
    });
    expect(validateObject('App', 'not an object', schemas)).toEqual({ ok: false, errors: ['metadata.name: Required value'] });
  });

  it('requires spec where the CRD does, and then checks nothing else', () => {
    const missing = ['spec: Required value', 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation'];
    const api = (spec?: unknown): unknown => ({ apiVersion: 'turnpike.dev/v1alpha1', kind: 'Api', metadata: { name: 'a' }, spec });
    expect(validateObject('Api', api(), schemas)).toEqual({ ok: false, errors: missing });
    expect(validateObject('Api', api(null), schemas)).toEqual({ ok: false, errors: missing });
  });

  it('accepts an omitted spec where every field is optional (ApiGroup, App), with the defaults', () => {
    expect(validateObject('ApiGroup', group({ name: 'demo' }), schemas)).toEqual({ ok: true, spec: { defaultSubdomain: { enabled: true } } });
    expect(validateObject('ApiGroup', group({ name: 'demo' }, null), schemas)).toEqual({ ok: true, spec: { defaultSubdomain: { enabled: true } } });
    expect(validateObject('ApiGroup', group({ name: 'demo.group' }), schemas)).toEqual({ ok: false, errors: [expect.stringContaining('metadata.name')] });
    expect(validateObject('App', { metadata: { name: 'a' } }, schemas).ok).toBe(true);
  });

  it('skips the rules after a blocking schema error, as the API server skips CEL', () => {
    const spec = { groupRef: { name: 'Demo' }, method: 'FETCH', path: 'x', backend: { mock: {} } };
    expect(validateObject('Api', { metadata: { name: 'a' }, spec }, schemas)).toEqual({
      ok: false,
      errors: [
        'spec.method: Unsupported value: "FETCH": supported values: "GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "ANY"',
        'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation',
      ],
    });
  });

  it('runs the rules after non-blocking schema errors (minimum, minItems, duplicates)', () => {
    const spec = { groupRef: { name: 'Demo' }, method: 'GET', path: 'x', backend: { mock: {}, timeoutMs: 0 } };
    expect(validateObject('Api', { metadata: { name: 'a' }, spec }, schemas)).toEqual({
      ok: false,
      errors: [
        'spec.backend.timeoutMs: Invalid value: 0: spec.backend.timeoutMs in body should be greater than or equal to 1',
        "spec.groupRef.name: groupRef.name must be an ApiGroup name (a DNS label: lowercase letters, digits and '-')",
        "spec.path: path must start with '/'",
      ],
    });
  });

  it('reports unknown fields alone, as strict decoding does', () => {
    expect(validateObject('ApiGroup', group({ name: 'Bad_Name' }, { domain: 'x', description: 5 }), schemas)).toEqual({
      ok: false,
      errors: ['unknown field "spec.domain"'],
    });
  });

  it('throws a fault, not a user error, when a kind has no compiled schema', () => {
    expect(() => validateObject('Api', group({ name: 'a' }, {}), new Map())).toThrow(ValidateFault);
  });
});
