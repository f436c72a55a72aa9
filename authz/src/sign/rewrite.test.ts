// The backend path authz signs must be the one Envoy forwards: the rewrites come from the
// translator's own pathRouting, and the expectations are Huawei's (reference §5.1, §12 of the list).
import { parseBackendPath, parsePathTemplate, pathRouting, type MatchMode } from '@turnpike/xds-server';
import { pathRewrite, rewritePath } from './rewrite';

function backendPathFor(frontend: string, mode: MatchMode, backend: string, requestPath: string): string {
  const path = parsePathTemplate(frontend);
  const target = parseBackendPath(backend);
  if (!path.ok || !target.ok) throw new Error('bad fixture');
  const { rewrite } = pathRouting(path.value, mode, target.value);
  const prefix = rewrite['prefix_rewrite'];
  const regex = rewrite['regex_rewrite'] as { pattern: { regex: string }; substitution: string } | undefined;
  return rewritePath(requestPath, pathRewrite(typeof prefix === 'string' ? prefix : undefined, regex?.pattern.regex, regex?.substitution));
}

describe('rewritePath', () => {
  it.each([
    ['/test/', 'Prefix', '/test2/', '/test/AA/CC', '/test2/AA/CC'],
    ['/test/AA', 'Prefix', '/b', '/test/AA/CC', '/b/CC'],
    ['/test/AA', 'Prefix', '/b', '/test/AA', '/b'],
    ['/users/{id}', 'Exact', '/api/users/{id}', '/users/42', '/api/users/42'],
    ['/files/{path+}', 'Exact', '/bucket/{path}', '/files/a/b%20c', '/bucket/a/b%20c'],
    ['/v1.0/price$(eur)', 'Exact', '/price', '/v1.0/price$(eur)', '/price'],
    ['/orders', 'Exact', '/api/orders', '/orders', '/api/orders'],
    ['/a\\b/{x}', 'Exact', '/c\\d/{x}', '/a\\b/1', '/c\\d/1'],
  ] as const)('%s (%s) → %s: %s becomes %s', (frontend, mode, backend, request, expected) => {
    expect(backendPathFor(frontend, mode, backend, request)).toBe(expected);
  });

  it('leaves the path alone without a rewrite or when the pattern does not match', () => {
    expect(rewritePath('/x', pathRewrite(undefined, undefined, undefined))).toBe('/x');
    expect(rewritePath('/x', pathRewrite(undefined, '^/y$', '/z'))).toBe('/x');
  });
});
