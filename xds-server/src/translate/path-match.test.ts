// Matching semantics (Huawei §5.1), checked by running the emitted RE2 patterns with JS RegExp (the
// constructs used — classes, groups, ?, *, anchors — mean the same in both).
import type { MatchMode } from '../ir';
import { TranslateError } from './translate-error';
import type { JsonObject, JsonValue } from './json';
import { pathRouting } from './path-match';
import { backendPath, frontendPath } from './testing/builder';

/** Follows `keys` into nested objects down to a string. */
function text(object: JsonValue | undefined, ...keys: string[]): string {
  let value = object;
  for (const key of keys) value = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject)[key] : undefined;
  if (typeof value !== 'string') throw new Error(`no string at ${keys.join('.')}`);
  return value;
}

/** The upstream path Envoy would send for `request`, or undefined when the route does not match. */
function forward(frontend: string, mode: MatchMode, backend: string, request: string): string | undefined {
  const { match, rewrite } = pathRouting(frontendPath(frontend), mode, backendPath(backend));
  if (typeof match.path === 'string') return match.path === request ? text(rewrite, 'prefix_rewrite') : undefined;
  const regex = new RegExp(text(match, 'safe_regex', 'regex'));
  if (!regex.test(request)) return undefined;
  const substitution = text(rewrite, 'regex_rewrite', 'substitution').replace(/\\(\d)/g, '$$$1').replace(/\\\\/g, '\\');
  return request.replace(new RegExp(text(rewrite, 'regex_rewrite', 'pattern', 'regex')), substitution);
}

describe('path matching and rewriting', () => {
  it('exact /test/AA does not match /test/AA/CC', () => {
    expect(forward('/test/AA', 'Exact', '/b', '/test/AA')).toBe('/b');
    expect(forward('/test/AA', 'Exact', '/b', '/test/AA/CC')).toBeUndefined();
  });

  it('prefix /test/AA matches /test/AA/CC but not /test/AACC, and appends the remainder', () => {
    expect(forward('/test/AA', 'Prefix', '/b', '/test/AA')).toBe('/b');
    expect(forward('/test/AA', 'Prefix', '/b', '/test/AA/CC')).toBe('/b/CC');
    expect(forward('/test/AA', 'Prefix', '/b', '/test/AA/CC/DD')).toBe('/b/CC/DD');
    expect(forward('/test/AA', 'Prefix', '/b', '/test/AACC')).toBeUndefined();
  });

  it("Huawei's example: /test/ → /test2/ turns /test/AA/CC into /test2/AA/CC", () => {
    expect(forward('/test/', 'Prefix', '/test2/', '/test/AA/CC')).toBe('/test2/AA/CC');
    expect(forward('/test/', 'Prefix', '/test2/', '/test/')).toBe('/test2/');
    expect(forward('/test/', 'Prefix', '/test2/', '/test')).toBeUndefined();
  });

  it('never doubles or drops the slash between backend path and remainder', () => {
    expect(forward('/test/', 'Prefix', '/test2', '/test/AA')).toBe('/test2/AA');
    expect(forward('/test/AA', 'Prefix', '/b/', '/test/AA/CC')).toBe('/b/CC');
    expect(forward('/test/AA', 'Prefix', '/b/', '/test/AA')).toBe('/b/');
    expect(forward('/', 'Prefix', '/', '/x/y')).toBe('/x/y');
  });

  it('/test and /test/ are distinct', () => {
    expect(forward('/test', 'Exact', '/a', '/test/')).toBeUndefined();
    expect(forward('/test/', 'Exact', '/a', '/test')).toBeUndefined();
    expect(forward('/test/', 'Exact', '/a', '/test/')).toBe('/a');
  });

  it('{p} is exactly one non-empty segment', () => {
    expect(forward('/users/{id}', 'Exact', '/api/{id}', '/users/42')).toBe('/api/42');
    expect(forward('/users/{id}', 'Exact', '/api/{id}', '/users/42/x')).toBeUndefined();
    expect(forward('/users/{id}', 'Exact', '/api/{id}', '/users/')).toBeUndefined();
  });

  it('{p+} is one or more segments', () => {
    expect(forward('/files/{p+}', 'Exact', '/bucket/{p}', '/files/a')).toBe('/bucket/a');
    expect(forward('/files/{p+}', 'Exact', '/bucket/{p}', '/files/a/b/c.txt')).toBe('/bucket/a/b/c.txt');
    expect(forward('/files/{p+}', 'Exact', '/bucket/{p}', '/files/')).toBeUndefined();
    expect(forward('/files/{p+}', 'Exact', '/bucket/{p}', '/files')).toBeUndefined();
  });

  it('reorders and repeats parameters, prefix remainder after them', () => {
    expect(forward('/s/{shop}/o/{order}', 'Exact', '/o/{order}/s/{shop}/{order}', '/s/1/o/2')).toBe('/o/2/s/1/2');
    expect(forward('/assets/{v}', 'Prefix', '/static/{v}', '/assets/3/css/a.css')).toBe('/static/3/css/a.css');
  });

  it('treats regex metacharacters in literals literally', () => {
    expect(forward('/v1.0/{id}', 'Exact', '/x/{id}', '/v1.0/7')).toBe('/x/7');
    expect(forward('/v1.0/{id}', 'Exact', '/x/{id}', '/v1x0/7')).toBeUndefined();
    expect(forward('/a+b/{id}', 'Prefix', '/c', '/a+b/1')).toBe('/c');
    expect(forward('/a+b/{id}', 'Prefix', '/c', '/aab/1')).toBeUndefined();
  });

  it('keeps backslashes of the backend path literal', () => {
    expect(forward('/w/{id}', 'Exact', '/a\\b/{id}', '/w/1')).toBe('/a\\b/1');
  });

  it('captures only the parameters the backend uses', () => {
    const { match } = pathRouting(frontendPath('/a/{x}/{y}'), 'Exact', backendPath('/b/{y}'));
    expect(match).toEqual({ safe_regex: { regex: '^/a/(?:[^/]+)/([^/]+)$' } });
  });

  it('rejects a backend parameter the frontend does not have', () => {
    expect(() => pathRouting(frontendPath('/a/{x}'), 'Exact', backendPath('/b/{y}'))).toThrow(TranslateError);
    expect(() => pathRouting(frontendPath('/a'), 'Exact', backendPath('/b/{y}'))).toThrow(/XDS_TRANSLATE_UNKNOWN_PATH_PARAM/);
  });

  it('rejects more captures than RE2 rewrites can name', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    const frontend = frontendPath(`/${names.map((n) => `{${n}}`).join('/')}`);
    expect(() => pathRouting(frontend, 'Exact', backendPath(`/${names.map((n) => `{${n}}`).join('/')}`))).not.toThrow();
    expect(() => pathRouting(frontend, 'Prefix', backendPath(`/${names.map((n) => `{${n}}`).join('/')}`))).toThrow(/XDS_TRANSLATE_OUT_OF_RANGE/);
  });

  it('uses the plain path matcher for literal exact paths and no rewrite for direct responses', () => {
    expect(pathRouting(frontendPath('/hello'), 'Exact')).toEqual({ match: { path: '/hello' }, rewrite: {} });
    expect(pathRouting(frontendPath('/hello'), 'Prefix')).toEqual({ match: { safe_regex: { regex: '^/hello(/.*)?$' } }, rewrite: {} });
  });
});
