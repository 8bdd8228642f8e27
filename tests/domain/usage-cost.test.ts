import { describe, expect, it } from 'vitest';
import { toMicros, usd } from '../../src/domain/money.js';
import type { ModelRate } from '../../src/domain/pricing-types.js';
import { internalCost } from '../../src/domain/pricing.js';
import { internalCostMicros } from '../../src/domain/usage-cost.js';

const rate = (inputPer1k: string, outputPer1k: string): ModelRate => ({ id: 'm', name: 'm', inputPer1k: usd(inputPer1k), outputPer1k: usd(outputPer1k) });

/** The integer path prices usage events; the Big.js rule prices quotes. They must never disagree. */
describe('internalCostMicros equals toMicros(internalCost) to the micro-dollar', () => {
  const rates = [rate('0.0006', '0.003'), rate('0.003', '0.015'), rate('0.005', '0.025'), rate('0', '0'), rate('1', '2'), rate('0.0000375', '0.00015'), rate('12.5', '75')];
  // Token counts that land exactly on a half micro-dollar (rounded up), just either side, and at the input limit.
  const tokens: [number, number][] = [[0, 0], [1, 0], [0, 1], [2000, 800], [5, 0], [15, 0], [25, 0], [833, 167], [999_999, 1], [1_000_000_000, 1_000_000_000], [123_457, 654_321]];
  const cases = rates.flatMap((r) => tokens.map(([i, o]) => ({ r, i, o, name: `${r.inputPer1k}/${r.outputPer1k} x ${i}/${o}` })));
  it.each(cases)('$name', ({ r, i, o }) => {
    expect(internalCostMicros(r, i, o)).toBe(toMicros(internalCost(r, i, o)));
  });

  it('rounds a half micro-dollar up, as roundToMicros does', () => {
    // 0.0005 $/1k x 1 token = $0.0000005 = half a micro-dollar.
    expect(internalCostMicros(rate('0.0005', '0'), 1, 0)).toBe(1);
    expect(internalCostMicros(rate('0.0004', '0'), 1, 0)).toBe(0);
  });
});
