// Golden files: xds-server/testdata/golden/<name>.json; UPDATE_GOLDEN=1 rewrites them.
import fs from 'node:fs';
import path from 'node:path';
import type { JsonObject } from '../json';

export const GOLDEN_DIR = path.join(__dirname, '..', '..', '..', 'testdata', 'golden');

export function goldenText(value: JsonObject): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Compares `value` with the golden `name`, or rewrites the golden when UPDATE_GOLDEN=1. */
export function expectGolden(name: string, value: JsonObject): void {
  const file = path.join(GOLDEN_DIR, `${name}.json`);
  const actual = goldenText(value);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  if (!fs.existsSync(file)) throw new Error(`no golden ${file}: run with UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(fs.readFileSync(file, 'utf8'));
}

/** Deletes the golden files of names not in `keep` (UPDATE_GOLDEN=1: cases removed). */
export function deleteGoldensExcept(keep: readonly string[]): void {
  for (const name of goldenNames()) if (!keep.includes(name)) fs.rmSync(path.join(GOLDEN_DIR, `${name}.json`));
}

/** Names of the golden files on disk (to catch stale ones). */
export function goldenNames(): string[] {
  if (!fs.existsSync(GOLDEN_DIR)) return [];
  return fs.readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
}
