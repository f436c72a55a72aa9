import { cel, check, evaluate, locate, lowerAscii, size } from './common';

const root = {
  metadata: { name: 'demo' },
  spec: {
    path: '/a',
    parameters: [{ name: 'a' }, { name: 'b' }],
    environments: [{ name: 'DEV', variables: { host: 'h', port: '80' } }, { name: 'QA' }],
  },
};

describe('common: rule locations', () => {
  it('finds values as the API server names their fields', () => {
    expect(locate(root, '')).toEqual([{ field: '', value: root }]);
    expect(locate(root, '.spec.path')).toEqual([{ field: 'spec.path', value: '/a' }]);
    expect(locate(root, '.spec.parameters[].name').map((l) => l.field)).toEqual(['spec.parameters[0].name', 'spec.parameters[1].name']);
    // Map entries are keyed with brackets, as CEL errors on additionalProperties are.
    expect(locate(root, '.spec.environments[].variables{}')).toEqual([
      { field: 'spec.environments[0].variables[host]', value: 'h' },
      { field: 'spec.environments[0].variables[port]', value: '80' },
    ]);
  });

  it('skips absent values, as a CEL rule on an absent field never runs', () => {
    expect(locate(root, '.spec.backend.url.host')).toEqual([]);
    expect(locate(root, '.spec.environments[].variables').map((l) => l.field)).toEqual(['spec.environments[0].variables']);
    expect(locate({ spec: { parameters: 'not a list' } }, '.spec.parameters[]')).toEqual([]);
  });
});

describe('common: evaluate', () => {
  it('reports field path, fieldPath and message; root rules by message alone', () => {
    const rules = [
      cel<string>('.spec.parameters[].name', 'name must be a', (self) => self === 'a'),
      cel<{ path: string }>('.spec', 'path must be /b', (self) => self.path === '/b', '.path'),
      cel<{ metadata: { name: string } }>('', 'metadata.name: must be x', (self) => self.metadata?.name === 'x'),
      check<string>('.spec.path', 'never /a', (self) => (self === '/a' ? [['', 'path: not /a']] : [])),
    ];
    expect(evaluate(rules, root)).toEqual([
      'spec.parameters[1].name: name must be a',
      'spec.path: path must be /b',
      'metadata.name: must be x',
      'spec.path: path: not /a',
    ]);
  });
});

describe('common: CEL string functions', () => {
  it('size() counts code points', () => {
    expect(size('abc')).toBe(3);
    expect(size('日本')).toBe(2);
    expect(size('a😀')).toBe(2);
  });

  it('lowerAscii() changes only A-Z', () => {
    expect(lowerAscii('X-Apig-İ')).toBe('x-apig-İ');
  });
});
