// Frontend path → route match, and backend path → rewrite (Huawei §5.1, §5.3).
//
// Why RE2 rather than envoy.path.match.uri_template: Turnpike parameter names may be 32 characters
// with '.' and '-', and Apis may have many of them; uri_template caps both (16-character names,
// 5 variables) and cannot say "the prefix, then nothing or '/…'". A literal Exact path uses the
// plain `path` matcher.
import { formatPathTemplate, type BackendPath, type MatchMode, type PathSegment, type PathTemplate } from '../ir';
import { TranslateError } from './translate-error';
import type { JsonObject } from './json';

/** RE2 rewrite substitutions can only name groups \1–\9. */
const MAX_GROUPS = 9;
/** One whole segment. */
const ONE_SEGMENT = '[^/]+';
/** One or more segments: a non-empty first segment, then anything. */
const GREEDY = '[^/].*';

export interface PathRouting {
  /** Fields of RouteMatch: `path` or `safe_regex`. */
  readonly match: JsonObject;
  /** Fields of RouteAction: `prefix_rewrite` or `regex_rewrite`; empty for direct responses. */
  readonly rewrite: JsonObject;
}

/** Escapes RE2 metacharacters (path literals may hold . + * ( ) $ and friends). */
function escapeRegex(text: string): string {
  return text.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** In an RE2 rewrite only `\` is special. */
function escapeSubstitution(text: string): string {
  return text.replace(/\\/g, '\\\\');
}

function isTrailingSlash(segments: readonly PathSegment[]): boolean {
  const last = segments[segments.length - 1];
  return last?.kind === 'Literal' && last.value === '';
}

function isLiteral(path: PathTemplate): boolean {
  return path.segments.every((segment) => segment.kind === 'Literal');
}

function literalText(parts: BackendPath): string {
  return parts.map((part) => (part.kind === 'Literal' ? part.value : `{${part.name}}`)).join('');
}

interface Compiled {
  readonly regex: string;
  /** Capture group of each parameter the backend path uses. */
  readonly groups: ReadonlyMap<string, number>;
  readonly remainderGroup?: number;
}

/**
 * The regex of a frontend path. Only parameters the backend uses capture (RE2 rewrites reach \9).
 * Prefix remainder: captured with its leading '/' unless the backend path ends with '/', so
 * `/test/` + `/test2/` turns `/test/AA/CC` into `/test2/AA/CC` and `/test/AA` + `/b` turns
 * `/test/AA/CC` into `/b/CC`, never `//`.
 */
function compile(path: PathTemplate, mode: MatchMode, used: ReadonlySet<string>, backendSlash: boolean): Compiled {
  const groups = new Map<string, number>();
  const trailing = isTrailingSlash(path.segments);
  const body = (trailing ? path.segments.slice(0, -1) : path.segments).map((segment) => {
    if (segment.kind === 'Literal') return `/${escapeRegex(segment.value)}`;
    const pattern = segment.kind === 'Param' ? ONE_SEGMENT : GREEDY;
    if (!used.has(segment.name)) return `/(?:${pattern})`;
    groups.set(segment.name, groups.size + 1);
    return `/(${pattern})`;
  });
  const head = `^${body.join('')}`;
  if (mode === 'Exact') return { regex: `${head}${trailing ? '/' : ''}$`, groups };
  const remainderGroup = groups.size + 1;
  if (trailing) return { regex: backendSlash ? `${head}/(.*)$` : `${head}(/.*)$`, groups, remainderGroup };
  return { regex: backendSlash ? `${head}(?:/(.*))?$` : `${head}(/.*)?$`, groups, remainderGroup };
}

function substitution(backend: BackendPath, compiled: Compiled, path: PathTemplate): string {
  const parts = backend.map((part) => {
    if (part.kind === 'Literal') return escapeSubstitution(part.value);
    const group = compiled.groups.get(part.name);
    if (group === undefined) {
      throw new TranslateError('XDS_TRANSLATE_UNKNOWN_PATH_PARAM', `backend path names {${part.name}}, absent from ${formatPathTemplate(path)}`);
    }
    return `\\${group}`;
  });
  if (compiled.remainderGroup !== undefined) parts.push(`\\${compiled.remainderGroup}`);
  return parts.join('');
}

/** Match and rewrite for a route forwarding to `backend` (or serving a direct response when undefined). */
export function pathRouting(path: PathTemplate, mode: MatchMode, backend?: BackendPath): PathRouting {
  const used = new Set((backend ?? []).flatMap((part) => (part.kind === 'Param' ? [part.name] : [])));
  if (mode === 'Exact' && isLiteral(path)) {
    const exact = `/${path.segments.map((segment) => (segment.kind === 'Literal' ? segment.value : '')).join('/')}`;
    if (backend === undefined) return { match: { path: exact }, rewrite: {} };
    const missing = [...used][0];
    if (missing !== undefined) {
      throw new TranslateError('XDS_TRANSLATE_UNKNOWN_PATH_PARAM', `backend path ${literalText(backend)} names {${missing}}, absent from ${exact}`);
    }
    // With a `path` match, prefix_rewrite swaps the whole path (the query string is kept).
    return { match: { path: exact }, rewrite: { prefix_rewrite: literalText(backend) } };
  }
  const text = backend === undefined ? '' : literalText(backend);
  const compiled = compile(path, mode, used, text.endsWith('/'));
  if (compiled.groups.size + (compiled.remainderGroup === undefined ? 0 : 1) > MAX_GROUPS) {
    throw new TranslateError('XDS_TRANSLATE_OUT_OF_RANGE', `backend path ${text} uses more than ${MAX_GROUPS} captures`);
  }
  const match = { safe_regex: { regex: compiled.regex } };
  if (backend === undefined) return { match, rewrite: {} };
  return { match, rewrite: { regex_rewrite: { pattern: { regex: compiled.regex }, substitution: substitution(backend, compiled, path) } } };
}
