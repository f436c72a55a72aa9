import { errorsOf, specOf } from './testing';
import { pathParameterNames } from './api';

const api = (extra: Record<string, unknown>): Record<string, unknown> => ({
  groupRef: { name: 'demo' }, method: 'GET', path: '/x', backend: { mock: {} }, ...extra,
});
const service = (path: string): Record<string, unknown> => ({ service: { name: 'web', port: 80, path } });

describe('Api path rules', () => {
  it.each([
    ['x', "spec.path: path must start with '/'"],
    ['/a//b', "spec.path: path: empty segments ('//') are not allowed"],
    ['/a?b=1', 'spec.path: path may contain only URL path characters'],
    ['/a/{id}x', "spec.path: path: a parameter must be a whole segment such as /users/{id}; '{' and '}' are not allowed inside a literal segment"],
    ['/a/{1d}', "spec.path: path: parameter names must be 1-32 characters (a letter, then letters, digits, '_', '.' or '-'), written {name} or {name+}"],
    ['/a/{}', 'spec.path: path: parameter names must be 1-32 characters'],
    [`/a/{${'p'.repeat(33)}}`, 'spec.path: path: parameter names must be 1-32 characters'],
    ['/a/{p+}/b', 'spec.path: path: {p+} is only allowed as the last segment'],
  ])('%s', (path, message) => {
    expect(errorsOf('Api', api({ path }))).toEqual([expect.stringContaining(message)]);
  });

  it('{p+} only with matchMode Exact (the default)', () => {
    expect(errorsOf('Api', api({ path: '/files/{p+}' }))).toEqual([]);
    expect(errorsOf('Api', api({ path: '/files/{p+}', matchMode: 'Prefix' }))).toEqual(['spec.path: path: {p+} is only allowed with matchMode Exact']);
  });

  it('operator: a {param} name at most once per path, {id} and {id+} included', () => {
    const message = 'spec.path: path: parameter {id} appears more than once; each {param} in a path needs its own name';
    expect(errorsOf('Api', api({ path: '/a/{id}/b/{id}' }))).toEqual([message]);
    expect(errorsOf('Api', api({ path: '/a/{id}/{id}/{id+}' }))).toEqual([message]);
    expect(errorsOf('Api', api({ path: '/a/{id}/{Id}' }))).toEqual([]);
    expect(pathParameterNames('/a/{id}/{rest+}/x{y}/{}')).toEqual(['id', 'rest']);
  });
});

describe('Api parameter rules', () => {
  const parameter = (p: Record<string, unknown>, path = '/x'): Record<string, unknown> => api({ path, parameters: [p] });

  it('PATH parameters must appear in path, by substring as CEL checks', () => {
    expect(errorsOf('Api', parameter({ name: 'i', in: 'PATH' }, '/x/{id}'))).toEqual([
      'spec.parameters: parameters: every PATH parameter must appear in path as {name} or {name+}',
    ]);
    expect(errorsOf('Api', parameter({ name: 'id', in: 'PATH' }, '/x/{id+}'))).toEqual([]);
    expect(errorsOf('Api', parameter({ name: 'id', in: 'QUERY' }, '/x'))).toEqual([]);
  });

  it('reserved names are compared case-insensitively (ASCII)', () => {
    expect(errorsOf('Api', parameter({ name: 'X-APIG-Mode', in: 'QUERY' }))).toEqual([
      'spec.parameters[0].name: parameters: names starting with x-apig- or x-sdk- are reserved by the gateway',
    ]);
    expect(errorsOf('Api', parameter({ name: 'X-Stage', in: 'QUERY' }))).toEqual(['spec.parameters[0].name: parameters: x-stage is reserved (it selects the environment)']);
    expect(errorsOf('Api', parameter({ name: 'AUTHORIZATION', in: 'HEADER' }))).toHaveLength(1);
    expect(errorsOf('Api', parameter({ name: 'Authorization', in: 'QUERY' }))).toEqual([]);
  });

  it("'_' is allowed in QUERY names, not in HEADER names", () => {
    expect(errorsOf('Api', parameter({ name: 'page_size', in: 'QUERY' }))).toEqual([]);
    expect(errorsOf('Api', parameter({ name: 'page_size', in: 'HEADER' }))).toEqual([
      "spec.parameters[0].name: parameters: HEADER parameter names must not contain '_'",
    ]);
  });

  it('minimum/maximum need type NUMBER, and type defaults to STRING', () => {
    expect(errorsOf('Api', parameter({ name: 'n', in: 'QUERY', minimum: 1 }))).toEqual([
      'spec.parameters[0]: parameters: minimum and maximum apply only to type NUMBER (use minLength/maxLength for STRING)',
    ]);
    expect(errorsOf('Api', parameter({ name: 'n', in: 'QUERY', type: 'NUMBER', minimum: 1, maximum: 1 }))).toEqual([]);
  });

  it('reports every broken rule of one parameter, at the rule’s fieldPath', () => {
    const p = { name: 'id', in: 'PATH', type: 'NUMBER', default: 'abc', enum: ['x'], minLength: 3, maxLength: 1, minimum: 5, maximum: 1, required: false };
    expect(errorsOf('Api', parameter(p, '/x/{id}'))).toEqual([
      'spec.parameters[0].required: parameters: a PATH parameter is always required; remove required: false',
      'spec.parameters[0].default: parameters: default applies only to optional QUERY or HEADER parameters',
      'spec.parameters[0].default: parameters: default must be one of enum',
      'spec.parameters[0]: parameters: minLength and maxLength apply only to type STRING (use minimum/maximum for NUMBER)',
      'spec.parameters[0]: parameters: minimum must not be greater than maximum',
      'spec.parameters[0]: parameters: minLength must not be greater than maxLength',
      'spec.parameters[0]: parameters: default and enum values of a NUMBER parameter must be numbers such as 10 or -2.5',
    ]);
  });

  it('NUMBER values: decimal numbers only', () => {
    const number = (values: string[]): readonly string[] => errorsOf('Api', parameter({ name: 'n', in: 'QUERY', type: 'NUMBER', enum: values }));
    expect(number(['10', '-2.5', '0.0'])).toEqual([]);
    expect(number(['1e3'])).toHaveLength(1);
    expect(number(['.5'])).toHaveLength(1);
    expect(number(['+1'])).toHaveLength(1);
  });
});

describe('Api backend rules', () => {
  it('exactly one of service, url and mock', () => {
    const message = 'spec.backend: backend: set exactly one of service, url or mock';
    expect(errorsOf('Api', api({ backend: {} }))).toEqual([message]);
    expect(errorsOf('Api', api({ backend: { mock: {}, ...service('/') } }))).toEqual([message]);
  });

  it('mock responses are not signed', () => {
    expect(errorsOf('Api', api({ backend: { mock: {}, signatureKeyRef: { name: 'k' } } }))).toEqual([
      'spec.backend.signatureKeyRef: backend.signatureKeyRef needs a service or url backend; mock responses are not signed',
    ]);
  });

  it.each([
    ['h:0', ['spec.backend.url.host: backend.url.host: port must be 1-65535']],
    ['h:65536', ['spec.backend.url.host: backend.url.host: port must be 1-65535']],
    ['h:65535', []],
    ['[2001:db8::1]:8443', []],
    ['127.0.0.1:#port#', []],
    ['#backend_host#', []],
    ['#ab#', [expect.stringContaining('backend.url.host must be host[:port]')]],
    ['https://h', [expect.stringContaining('backend.url.host must be host[:port]')]],
    ['h:123456', [expect.stringContaining('backend.url.host must be host[:port]'), 'spec.backend.url.host: backend.url.host: port must be 1-65535']],
  ])('url.host %s', (host, errors) => {
    expect(errorsOf('Api', api({ backend: { url: { host, path: '/' } } }))).toEqual(errors);
  });

  it('backend paths: the same two rules on service.path and url.path', () => {
    expect(errorsOf('Api', api({ backend: service('x') }))).toEqual(["spec.backend.service.path: backend path must start with '/'"]);
    expect(errorsOf('Api', api({ backend: { url: { host: 'h', path: '/#ab#' } } }))).toEqual([
      'spec.backend.url.path: backend path may contain only URL path characters, {param} references and #Name# environment variables (names 3-32 characters)',
    ]);
  });

  it('operator: every {param} of a backend path is a frontend parameter (in the path or declared)', () => {
    const withQuery = { path: '/users/{id}', parameters: [{ name: 'page', in: 'QUERY' }] };
    expect(errorsOf('Api', api({ ...withQuery, backend: service('/#base#/{id}/{page}') }))).toEqual([]);
    expect(errorsOf('Api', api({ ...withQuery, backend: service('/{id}/{user}/{user+}') }))).toEqual([
      'spec.backend.service.path: backend path: {user} is not a parameter of the frontend; use it in path or declare it in parameters',
    ]);
    expect(errorsOf('Api', api({ backend: { url: { host: 'h', path: '/{rest+}' } } }))).toEqual([
      'spec.backend.url.path: backend path: {rest} is not a parameter of the frontend; use it in path or declare it in parameters',
    ]);
  });

  it('mock headers: tokens of at most 64 characters, no gateway headers', () => {
    expect(errorsOf('Api', api({ backend: { mock: { headers: { 'bad header': 'v', [`x${'a'.repeat(64)}`]: 'v' } } } }))).toEqual([
      "spec.backend.mock.headers: backend.mock.headers: header names must be HTTP tokens (letters, digits, '-') of at most 64 characters",
    ]);
    expect(errorsOf('Api', api({ backend: { mock: { headers: { 'X-Request-ID': 'v' } } } }))).toEqual([
      'spec.backend.mock.headers: backend.mock.headers must not set gateway headers (x-apig-*, x-turnpike-*, x-request-id)',
    ]);
  });
});

describe('Api auth rules and defaults', () => {
  it('AppCode needs type APP and HTTPS (both rules report)', () => {
    expect(errorsOf('Api', api({ protocol: 'HTTP', auth: { appCode: true } }))).toEqual([
      'spec.auth.appCode: auth.appCode: AppCode (simple authentication) is only accepted over HTTPS; set protocol to HTTPS or BOTH',
      'spec.auth.appCode: auth.appCode (simple authentication) requires auth.type APP',
    ]);
    expect(errorsOf('Api', api({ auth: { type: 'APP', appCode: true } }))).toEqual([]);
  });

  it('returns the typed spec with the CRD defaults', () => {
    expect(specOf('Api', api({ parameters: [{ name: 'q', in: 'QUERY' }] }))).toEqual({
      groupRef: { name: 'demo' }, method: 'GET', path: '/x', matchMode: 'Exact', protocol: 'BOTH', cors: false,
      auth: { type: 'NONE', appCode: false }, environments: ['RELEASE'],
      parameters: [{ name: 'q', in: 'QUERY', type: 'STRING', passThrough: true }],
      backend: { mock: { status: 200 }, timeoutMs: 5000, retries: -1 },
    });
  });
});
