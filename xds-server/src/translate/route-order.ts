// Envoy takes the first matching route, so routes are ordered most specific first. Huawei does not
// document its precedence; this order is the one users expect from path routers:
//   1. Exact before Prefix.
//   2. Segment by segment: literal before {param} before {param+} before a trailing '/' (which,
//      in a Prefix route, matches any rest: /test/ must come after /test/AA and /test/{id}).
//   3. Longer before shorter (a Prefix `/a/b` before `/a`, `/test/` before `/test`).
//   4. A named method before ANY.
//   5. Then by text, environment and source, only so that the output is deterministic.
import { formatPathTemplate, sourceKey, type PathSegment, type RouteIR } from '../ir';
import { byString } from './json';

function rank(segment: PathSegment): number {
  if (segment.kind === 'Literal') return segment.value === '' ? 3 : 0;
  return segment.kind === 'Param' ? 1 : 2;
}

function bySegments(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i += 1) {
    const left = a[i];
    const right = b[i];
    if (left === undefined || right === undefined) break;
    const diff = rank(left) - rank(right);
    if (diff !== 0) return diff;
  }
  return b.length - a.length;
}

/** Comparator for Array.prototype.sort: most specific route first. */
export function compareRoutes(a: RouteIR, b: RouteIR): number {
  if (a.match !== b.match) return a.match === 'Exact' ? -1 : 1;
  const segments = bySegments(a.path.segments, b.path.segments);
  if (segments !== 0) return segments;
  if ((a.method === 'ANY') !== (b.method === 'ANY')) return a.method === 'ANY' ? 1 : -1;
  return (
    byString(formatPathTemplate(a.path), formatPathTemplate(b.path)) ||
    byString(a.method, b.method) ||
    byString(a.environment, b.environment) ||
    byString(sourceKey(a.source), sourceKey(b.source))
  );
}
