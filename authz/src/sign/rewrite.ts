/**
 * The path the backend receives, computed the way Envoy's route will rewrite it after authz has
 * answered (xds-server/src/translate/path-match.ts): a literal replacement (prefix_rewrite of an
 * exact path) or the route's RE2 regex_rewrite. The patterns the translator emits (anchored
 * literals, `[^/]+`, `[^/].*`, `.*`, non-capturing groups) mean the same in RE2 and JavaScript.
 */

export type PathRewrite =
  | { readonly kind: 'none' }
  | { readonly kind: 'replace'; readonly path: string }
  | { readonly kind: 'regex'; readonly pattern: RegExp; readonly substitution: string };

const cache = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let regex = cache.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(pattern);
    if (cache.size > 10_000) cache.clear();
    cache.set(pattern, regex);
  }
  return regex;
}

/** The rewrite named by the route's context extensions. */
export function pathRewrite(replacement: string | undefined, regex: string | undefined, substitution: string | undefined): PathRewrite {
  if (replacement !== undefined) return { kind: 'replace', path: replacement };
  if (regex !== undefined && substitution !== undefined) return { kind: 'regex', pattern: compiled(regex), substitution };
  return { kind: 'none' };
}

/** Expands an RE2 substitution: `\N` is capture group N, `\\` a backslash, anything else literal. */
function expand(substitution: string, groups: readonly (string | undefined)[]): string {
  let out = '';
  for (let i = 0; i < substitution.length; i += 1) {
    const c = substitution[i];
    const next = substitution[i + 1];
    if (c === '\\' && next !== undefined && /[0-9]/.test(next)) {
      out += groups[Number(next)] ?? '';
      i += 1;
    } else if (c === '\\' && next === '\\') {
      out += '\\';
      i += 1;
    } else {
      out += c ?? '';
    }
  }
  return out;
}

/** Applies the rewrite to a path (no query string); an unmatched regex leaves the path as it is, as Envoy does. */
export function rewritePath(path: string, rewrite: PathRewrite): string {
  if (rewrite.kind === 'none') return path;
  if (rewrite.kind === 'replace') return rewrite.path;
  const match = rewrite.pattern.exec(path);
  if (match === null) return path;
  return path.slice(0, match.index) + expand(rewrite.substitution, [...match]) + path.slice(match.index + match[0].length);
}
