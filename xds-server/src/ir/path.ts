/**
 * Request paths (Huawei `req_uri`, §5.1) and backend paths, already parsed by the operator so the
 * translator never re-parses user text.
 */

/** One `/`-separated segment of a frontend path. */
export type PathSegment =
  /** Literal text, matched case-sensitively. `''` is allowed only last: a trailing `/` (`/test/`). */
  | { readonly kind: 'Literal'; readonly value: string }
  /** `{name}`: exactly one whole, non-empty segment. */
  | { readonly kind: 'Param'; readonly name: string }
  /** `{name+}`: one or more segments; only as the last segment. */
  | { readonly kind: 'Greedy'; readonly name: string };

/**
 * A frontend path: `/users/{id}` is `[Literal users, Param id]`, `/test/` is `[Literal test,
 * Literal '']`, `/` is `[Literal '']`.
 */
export interface PathTemplate {
  readonly segments: readonly PathSegment[];
}

/**
 * A backend path after `#var#` substitution: literal text and `{name}` (or `{name+}`) references
 * to frontend path parameters, concatenated. `/v2/{id}/x` is `[Literal '/v2/', Param id, Literal '/x']`.
 */
export type BackendPathPart =
  | { readonly kind: 'Literal'; readonly value: string }
  | { readonly kind: 'Param'; readonly name: string };

export type BackendPath = readonly BackendPathPart[];

/** A parse result: user mistakes are values, not exceptions. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const PARAM = /^\{([A-Za-z][A-Za-z0-9_.-]{0,31})(\+?)\}$/;

function parseSegment(text: string, last: boolean): Parsed<PathSegment> {
  const param = PARAM.exec(text);
  if (param === null) {
    if (text.includes('{') || text.includes('}')) return { ok: false, reason: `'${text}' is not a whole-segment {param}` };
    if (text === '' && !last) return { ok: false, reason: "empty segment ('//')" };
    return { ok: true, value: { kind: 'Literal', value: text } };
  }
  const name = param[1] ?? '';
  if (param[2] !== '+') return { ok: true, value: { kind: 'Param', name } };
  if (!last) return { ok: false, reason: `{${name}+} is only allowed as the last segment` };
  return { ok: true, value: { kind: 'Greedy', name } };
}

/** Parses `/users/{id}/files/{rest+}` into a PathTemplate. */
export function parsePathTemplate(text: string): Parsed<PathTemplate> {
  if (!text.startsWith('/')) return { ok: false, reason: "path must start with '/'" };
  const raw = text.slice(1).split('/');
  const segments: PathSegment[] = [];
  const names = new Set<string>();
  for (const [index, part] of raw.entries()) {
    const segment = parseSegment(part, index === raw.length - 1);
    if (!segment.ok) return segment;
    if (segment.value.kind !== 'Literal') {
      if (names.has(segment.value.name)) return { ok: false, reason: `parameter {${segment.value.name}} appears twice` };
      names.add(segment.value.name);
    }
    segments.push(segment.value);
  }
  return { ok: true, value: { segments } };
}

/** Parses a backend path with `{name}` references (env variables already substituted). */
export function parseBackendPath(text: string): Parsed<BackendPath> {
  if (!text.startsWith('/')) return { ok: false, reason: "backend path must start with '/'" };
  const parts: BackendPathPart[] = [];
  for (const piece of text.split(/(\{[^{}]*\})/)) {
    if (piece === '') continue;
    if (!piece.startsWith('{')) {
      if (piece.includes('{') || piece.includes('}')) return { ok: false, reason: `unbalanced braces in '${text}'` };
      parts.push({ kind: 'Literal', value: piece });
      continue;
    }
    // `{name+}` names the parameter as `{name}` does: its whole value, every segment a greedy one matched.
    const param = PARAM.exec(piece);
    if (param === null) return { ok: false, reason: `'${piece}' is not a {param} reference` };
    parts.push({ kind: 'Param', name: param[1] ?? '' });
  }
  return { ok: true, value: parts };
}

/** The path as users write it, for names, metadata and messages. */
export function formatPathTemplate(path: PathTemplate): string {
  const text = (segment: PathSegment): string => {
    if (segment.kind === 'Literal') return segment.value;
    return segment.kind === 'Param' ? `{${segment.name}}` : `{${segment.name}+}`;
  };
  return `/${path.segments.map(text).join('/')}`;
}

/** The backend path as users write it. */
export function formatBackendPath(path: BackendPath): string {
  return path.map((part) => (part.kind === 'Literal' ? part.value : `{${part.name}}`)).join('');
}
