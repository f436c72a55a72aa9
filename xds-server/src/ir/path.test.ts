import { formatBackendPath, formatPathTemplate, parseBackendPath, parsePathTemplate } from './path';

describe('parsePathTemplate', () => {
  it.each([
    ['/', [{ kind: 'Literal', value: '' }]],
    ['/test', [{ kind: 'Literal', value: 'test' }]],
    ['/test/', [{ kind: 'Literal', value: 'test' }, { kind: 'Literal', value: '' }]],
    ['/users/{id}', [{ kind: 'Literal', value: 'users' }, { kind: 'Param', name: 'id' }]],
    ['/files/{path+}', [{ kind: 'Literal', value: 'files' }, { kind: 'Greedy', name: 'path' }]],
    ['/a/{order.id-2}', [{ kind: 'Literal', value: 'a' }, { kind: 'Param', name: 'order.id-2' }]],
  ])('%s', (text, segments) => {
    const parsed = parsePathTemplate(text);
    expect(parsed).toEqual({ ok: true, value: { segments } });
    if (parsed.ok) expect(formatPathTemplate(parsed.value)).toBe(text);
  });

  it.each([
    ['users', "must start with '/'"],
    ['/a//b', 'empty segment'],
    ['/abc{id}', 'not a whole-segment'],
    ['/{p+}/x', 'only allowed as the last segment'],
    ['/{a}/{a}', 'appears twice'],
    ['/{1a}', 'not a whole-segment'],
  ])('rejects %s', (text, reason) => {
    const parsed = parsePathTemplate(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toContain(reason);
  });
});

describe('parseBackendPath', () => {
  it('splits literals and parameter references', () => {
    const parsed = parseBackendPath('/v2/{id}/x{name}');
    expect(parsed).toEqual({
      ok: true,
      value: [{ kind: 'Literal', value: '/v2/' }, { kind: 'Param', name: 'id' }, { kind: 'Literal', value: '/x' }, { kind: 'Param', name: 'name' }],
    });
    if (parsed.ok) expect(formatBackendPath(parsed.value)).toBe('/v2/{id}/x{name}');
  });

  it('reads {name+} as a reference to the parameter, like {name} (docs/reference/api.md)', () => {
    expect(parseBackendPath('/a/{p+}')).toEqual({ ok: true, value: [{ kind: 'Literal', value: '/a/' }, { kind: 'Param', name: 'p' }] });
  });

  it.each(['v2', '/a/{', '/a/}b', '/a/{p++}'])('rejects %s', (text) => {
    expect(parseBackendPath(text).ok).toBe(false);
  });
});
