import fs from 'node:fs';
import path from 'node:path';
import { CATALOG } from './catalog';
import { errorsReference } from './reference-doc';

const PAGE = path.join(__dirname, '..', '..', '..', 'docs', 'reference', 'errors.md');

describe('docs/reference/errors.md', () => {
  it('is the catalog as written by errorsReference (UPDATE_GOLDEN=1 rewrites it)', () => {
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(PAGE, errorsReference());
    expect(fs.readFileSync(PAGE, 'utf8')).toBe(errorsReference());
  });

  it('lists each code and status once, in code then status order', () => {
    const keys = CATALOG.map((e) => `${e.code} ${e.status}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual([...keys].sort());
  });
});
