// The authn filter (Rust, dataplane/apig-auth/src/errors.rs) cannot import the catalog: this test
// reads its Denial definitions and holds them to the catalog, both ways.
import fs from 'node:fs';
import path from 'node:path';
import { CATALOG } from './catalog';

const ERRORS_RS = path.join(__dirname, '..', '..', '..', 'dataplane', 'apig-auth', 'src', 'errors.rs');

/** `Denial { status, code, message }` literals; a `format!("…{}")` message becomes the catalog's `{placeholder}` form. */
function rustDenials(source: string): string[] {
  const literal = /Denial\s*\{\s*status:\s*(\d+),\s*code:\s*"([^"]+)",\s*message:\s*Cow::(?:Borrowed\("([^"]*)"\)|Owned\(format!\("([^"]*)"[^\n]*?\)\))\s*\}/g;
  return [...source.matchAll(literal)].map(([, status = '', code = '', fixed, template]) => `${status} ${code} ${fixed ?? template ?? ''}`);
}

const catalogued = (entry: { status: number; code: string; message: string }): string => `${entry.status} ${entry.code} ${entry.message.replace(/\{\w+\}/g, '{}')}`;

describe("the authn filter's errors", () => {
  const source = fs.readFileSync(ERRORS_RS, 'utf8').split('#[cfg(test)]')[0] ?? '';
  const denials = rustDenials(source);

  it('are read completely (every Denial literal of errors.rs parsed)', () => {
    expect(denials.length).toBe(source.match(/Denial\s*\{\s*status/g)?.length);
    expect(denials.length).toBeGreaterThan(0);
  });

  it('are all in the catalog, with the same status, code and message', () => {
    const known = new Set(CATALOG.map(catalogued));
    expect(denials.filter((d) => !known.has(d))).toEqual([]);
  });

  it('cover every catalog entry answered by the authn filter', () => {
    const defined = new Set(denials);
    const missing = CATALOG.filter((e) => e.answeredBy.includes('authn filter')).map(catalogued).filter((e) => !defined.has(e));
    expect(missing).toEqual([]);
  });
});
