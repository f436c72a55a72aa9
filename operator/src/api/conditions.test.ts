import fs from 'node:fs';
import path from 'node:path';
import { ConditionReason, ConditionType, isReasonFor, reasonsByType } from './conditions';

describe('condition reasons', () => {
  const all = Object.values(ConditionReason);

  it('assigns every reason to exactly one condition type', () => {
    const assigned = Object.values(reasonsByType).flat();
    expect([...assigned].sort()).toEqual([...all].sort());
  });

  it('documents every reason in docs/reference/conditions.md', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'reference', 'conditions.md'), 'utf8');
    expect(all.filter((reason) => !doc.includes(`| \`${reason}\` |`))).toEqual([]);
  });

  it('tells which reasons belong to a type', () => {
    expect(isReasonFor(ConditionType.Programmed, 'Rejected')).toBe(true);
    expect(isReasonFor(ConditionType.Accepted, 'Rejected')).toBe(false);
    expect(isReasonFor(ConditionType.ResolvedRefs, 'NoSuchReason')).toBe(false);
  });
});
