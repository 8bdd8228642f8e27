import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import {
  ESCALATION_WINDOW_MS,
  MIN_ESCALATED_AFTER,
  MIN_SAMPLE,
  VALIDATION_WINDOW_MS,
  escalationRose,
  marginOpposite,
  validateChange,
  type ValidationQuote,
} from '../../src/domain/policy-validation.js';

const EFF = new Date('2026-11-20T15:00:00Z');
const at = (offsetMs: number) => new Date(EFF.getTime() + offsetMs);
const HOUR = 3_600_000;
const q = (offsetMs: number, margin: string, escalated = false): ValidationQuote => ({ at: at(offsetMs), grossMarginPct: new Big(margin), escalated });
const many = (n: number, offsetMs: number, margin: string, escalated = false) => Array.from({ length: n }, (_, i) => q(offsetMs + i, margin, escalated));

describe('§49 margin trigger: moving opposite to the expected outcome by more than 10% of the week before', () => {
  it.each([
    // before, after, expected, fires
    ['60.00', '54.00', 'up', false], // exactly 10% down: not more than 10%
    ['60.00', '53.994', 'up', true], // 10.01% down
    ['60.00', '66.006', 'up', false], // up is what was expected
    ['60.00', '66.00', 'down', false], // exactly 10% up
    ['60.00', '66.006', 'down', true], // 10.01% up
    ['60.00', '40.00', 'down', false], // down is what was expected
    ['60.00', '54.00', 'steady', false],
    ['60.00', '53.994', 'steady', true],
    ['60.00', '66.00', 'steady', false],
    ['60.00', '66.006', 'steady', true],
    ['60.00', '53.994', null, true], // no direction given: judged as steady
    ['60.00', '66.006', null, true],
    ['0', '50.00', 'steady', false], // no relative move from a zero baseline
  ] as const)('before %s%% after %s%% expected %s: fires %s', (before, after, expected, fires) => {
    expect(marginOpposite(new Big(before), new Big(after), expected)).toBe(fires);
  });
});

describe('§49 escalation trigger: the rate up more than 20% relative to the week before', () => {
  it.each([
    [{ quotes: 10_000, escalated: 1_000 }, { quotes: 100_000, escalated: 12_000 }, false], // 10% -> 12%: exactly +20%
    [{ quotes: 10_000, escalated: 1_000 }, { quotes: 100_000, escalated: 12_001 }, true], // 12.001%: +20.01%
    [{ quotes: 10, escalated: 1 }, { quotes: 10, escalated: 1 }, false],
    [{ quotes: 10, escalated: 0 }, { quotes: 5, escalated: 1 }, true], // any rise from none is more than 20%
    [{ quotes: 10, escalated: 0 }, { quotes: 5, escalated: 0 }, false],
    [{ quotes: 0, escalated: 0 }, { quotes: 5, escalated: 5 }, false], // no baseline: nothing to compare
  ])('%j -> %j: fires %s', (before, after, fires) => {
    expect(escalationRose(before, after)).toBe(fires);
  });
});

describe('validateChange: windows and the minimum sample', () => {
  const now = at(72 * HOUR);
  const judge = (before: ValidationQuote[], after: ValidationQuote[], expectedMargin: 'up' | 'down' | 'steady' | null = 'up') =>
    validateChange({ effectiveAt: EFF, expectedMargin, before, after, now });

  it.each([
    [MIN_SAMPLE - 1, MIN_SAMPLE, []],
    [MIN_SAMPLE, MIN_SAMPLE - 1, []],
    [MIN_SAMPLE, MIN_SAMPLE, ['margin_opposite']],
  ] as const)('%i quotes before and %i after: triggers %j', (nBefore, nAfter, triggers) => {
    const v = judge(many(nBefore, -24 * HOUR, '60.00'), many(nAfter, HOUR, '50.00'));
    expect(v.triggers).toEqual(triggers);
    if (triggers.length === 0) expect(v.pending.length).toBe(1);
  });

  it('averages margins by the one portfolio rule (floored to two places) before comparing', () => {
    // 53.995 and 53.995 average 53.995, shown and judged as 53.99: 10.016% down from 60.00.
    const after = [...many(3, HOUR, '53.995'), ...many(2, 2 * HOUR, '53.995')];
    const v = judge(many(5, -HOUR, '60.00'), after);
    expect(v.after.avgMarginPct?.toFixed(2)).toBe('53.99');
    expect(v.triggers).toEqual(['margin_opposite']);
    expect(judge(many(5, -HOUR, '60.00'), many(5, HOUR, '54.00')).triggers).toEqual([]);
  });

  it.each([
    [ESCALATION_WINDOW_MS, ['escalation_spike']],
    [ESCALATION_WINDOW_MS + 1, []],
  ] as const)('escalated quotes at effective_at + %i ms: triggers %j (within 48 hours of the change)', (offset, triggers) => {
    const before = [...many(9, -HOUR * 30, '60.00'), q(-HOUR, '60.00', true)]; // 10%
    const after = [...many(5, HOUR, '60.00'), q(offset, '60.00', true), q(offset, '60.00', true)];
    expect(judge(before, after, 'steady').triggers).toEqual(triggers);
  });

  it.each([
    [MIN_ESCALATED_AFTER - 1, []],
    [MIN_ESCALATED_AFTER, ['escalation_spike']],
  ] as const)('from a week with no escalation, %i escalated quotes under the change: triggers %j', (n, triggers) => {
    const after = [...many(5, HOUR, '60.00'), ...many(n, 2 * HOUR, '60.00', true)];
    expect(judge(many(10, -HOUR * 30, '60.00'), after, 'steady').triggers).toEqual(triggers);
  });

  it('the baseline is the week before: a quote at effective_at - 7 days counts, 1 ms earlier does not', () => {
    const before = many(4, -HOUR, '60.00');
    const after = many(5, HOUR, '50.00');
    expect(judge([...before, q(-VALIDATION_WINDOW_MS, '60.00')], after).triggers).toEqual(['margin_opposite']);
    expect(judge([...before, q(-VALIDATION_WINDOW_MS - 1, '60.00')], after).triggers).toEqual([]);
  });

  it('quotes after now are not judged yet', () => {
    const v = validateChange({ effectiveAt: EFF, expectedMargin: 'up', before: many(5, -HOUR, '60.00'), after: many(5, 2 * HOUR, '50.00'), now: at(HOUR) });
    expect(v.after.quotes).toBe(0);
    expect(v.triggers).toEqual([]);
  });
});
