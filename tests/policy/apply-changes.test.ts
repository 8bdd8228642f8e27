import { describe, expect, it } from 'vitest';
import { applyChanges, diffRules } from '../../src/domain/policy-change.js';
import { seedCatalog } from '../helpers/seed.js';

const rules = seedCatalog.policyFile.rules;

describe('a change written as path=value', () => {
  it.each([
    ['base_markup.medium=4.5', [['base_markup.medium', 4, 4.5]]],
    ['base_markup.medium=4.5, price_floor_usd=0.6', [['base_markup.medium', 4, 4.5], ['price_floor_usd', 0.5, 0.6]]],
    ['base_markup.medium=4.5\nsegment_adjustment.startup=-0.5', [['base_markup.medium', 4, 4.5], ['segment_adjustment.startup', -1, -0.5]]],
    ['discount_approval.1.condition="Multi-year, signed"', [['discount_approval.1.condition', 'Multi-quarter commitment required', 'Multi-year, signed']]],
    ['guardrail_fail_route.task="Deal Desk + CFO"', [['guardrail_fail_route.task', 'Deal Desk', 'Deal Desk + CFO']]],
  ] as const)('%s applies exactly those fields', (text, expected) => {
    const result = applyChanges(rules, text);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.changes.map((c) => [c.path, c.before, c.after])).toEqual(expected);
  });

  it.each([
    ['', /no change given/],
    ['base_markup.huge=4', /base_markup.huge is not a field/],
    ['markup=4', /markup is not a field/],
    ['base_markup.medium=lots', /base_markup.medium must be a number; you gave "lots"/],
    ['base_markup.medium="4"', /must be a number/],
    ['base_markup.medium=4', /leaves every field as it is/],
    ['base_markup.medium=4.5 base_markup.medium=5', /given twice/],
    ['base_markup.medium=4.5 please', /cannot read "please"/],
  ])('%j is refused: %s', (text, message) => {
    const result = applyChanges(rules, text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toMatch(message);
  });

  it('leaves the rules it was given untouched, and a new tier shows in the diff as added fields', () => {
    const before = structuredClone(rules);
    const result = applyChanges(rules, 'discount_approval.4.up_to_pct=null discount_approval.4.approver=executive discount_approval.4.condition="Board"');
    expect(rules).toEqual(before);
    expect(result.ok).toBe(true);
    if (result.ok) expect(diffRules(rules, result.rules).every((c) => c.path.startsWith('discount_approval.4.') && c.before === undefined)).toBe(true);
  });
});
