import { describe, expect, it } from 'vitest';
import { internalCost, priceQuote } from '../../src/domain/pricing.js';
import { quoteRequest, seedCatalog, seedPolicy } from '../helpers/seed.js';

const { rateCard } = seedCatalog;
const policy = seedPolicy;
const rate = (id: string) => {
  const r = rateCard.models.get(id);
  if (!r) throw new Error(`no model ${id} in the seed rate card`);
  return r;
};
const price = (overrides: Parameters<typeof quoteRequest>[0]) => {
  const request = quoteRequest(overrides);
  return priceQuote(request, rate(request.model), policy);
};

describe('internal cost from the rate card', () => {
  it.each([
    { model: 'k2p5', input: 2000, output: 800, cost: '0.0036' },
    { model: 'sonnet', input: 100_000, output: 100_000, cost: '1.8' },
    { model: 'opus', input: 100_000, output: 50_000, cost: '1.75' },
    { model: 'opus', input: 0, output: 0, cost: '0' },
    // A single k2p5 input token is 0.0000006 USD: kept to the micro-dollar, half-up.
    { model: 'k2p5', input: 1, output: 0, cost: '0.000001' },
  ])('$model $input in / $output out costs $cost', ({ model, input, output, cost }) => {
    expect(internalCost(rate(model), input, output).toFixed()).toBe(cost);
  });
});

describe('markup by complexity and segment', () => {
  it.each([
    { complexity: 'low', segment: 'enterprise', markup: '3.5', final: '6.30', margin: '71.42' },
    { complexity: 'low', segment: 'mid_market', markup: '3', final: '5.40', margin: '66.66' },
    { complexity: 'low', segment: 'smb', markup: '2.5', final: '4.50', margin: '60.00' },
    { complexity: 'low', segment: 'startup', markup: '2', final: '3.60', margin: '50.00' },
    { complexity: 'medium', segment: 'mid_market', markup: '4', final: '7.20', margin: '75.00' },
    { complexity: 'high', segment: 'mid_market', markup: '5', final: '9.00', margin: '80.00' },
    { complexity: 'high', segment: 'enterprise', markup: '5.5', final: '9.90', margin: '81.81' },
  ] as const)('$complexity / $segment: $markup x', ({ complexity, segment, markup, final, margin }) => {
    const p = price({ model: 'sonnet', inputTokens: 100_000, outputTokens: 100_000, complexity, segment });
    expect(p.internalCost.toFixed()).toBe('1.8');
    expect(p.finalMarkup.toFixed()).toBe(markup);
    expect(p.baseMarkup.plus(p.segmentAdjustment).eq(p.finalMarkup)).toBe(true);
    expect(p.finalPrice.toFixed(2)).toBe(final);
    expect(p.grossMarginPct.toFixed(2)).toBe(margin);
    expect(p.floorApplied).toBe(false);
  });
});

describe('the $0.50 floor', () => {
  it('lifts a tiny quote to the floor (the playbook worksheet: k2p5, 2,000 tokens, ~98%)', () => {
    const p = price({ model: 'k2p5', complexity: 'medium', segment: 'smb', inputTokens: 2000, outputTokens: 800 });
    expect(p.internalCost.toFixed()).toBe('0.0036');
    expect(p.recommendedPrice.toFixed(2)).toBe('0.50');
    expect(p.finalPrice.toFixed(2)).toBe('0.50');
    expect(p.floorApplied).toBe(true);
    expect(p.grossMarginPct.toFixed(2)).toBe('99.28');
  });

  it('holds a discounted price at the floor', () => {
    // opus low startup: 55,000 input tokens cost 0.275, marked 2x to 0.55; 10% off is 0.495.
    const p = price({ model: 'opus', complexity: 'low', segment: 'startup', inputTokens: 55_000, outputTokens: 0, discountPct: 10 });
    expect(p.recommendedPrice.toFixed(2)).toBe('0.55');
    expect(p.finalPrice.toFixed(2)).toBe('0.50');
    expect(p.floorApplied).toBe(true);
  });

  it('does not apply when the marked-up price is above it', () => {
    expect(price({ model: 'sonnet', inputTokens: 100_000, outputTokens: 100_000 }).floorApplied).toBe(false);
  });
});

describe('rounding', () => {
  it('rounds the final price half-up to the cent', () => {
    // opus high enterprise: cost 1.75 x 5.5 = 9.625 -> 9.63
    const p = price({ model: 'opus', complexity: 'high', segment: 'enterprise', inputTokens: 100_000, outputTokens: 50_000 });
    expect(p.finalPrice.toFixed(2)).toBe('9.63');
    expect(p.grossMarginPct.toFixed(2)).toBe('81.82');
  });

  it('rounds an exact half cent up where binary floats would round it down (1.005)', () => {
    // opus: 67,000 input tokens cost 0.335; low / mid_market 3x is exactly 1.005.
    const p = price({ model: 'opus', complexity: 'low', segment: 'mid_market', inputTokens: 67_000, outputTokens: 0 });
    expect(Math.round(1.005 * 100) / 100).toBe(1); // what a float would have quoted
    expect(p.finalPrice.toFixed(2)).toBe('1.01');
  });
});

describe('the margin guardrail per delivery type', () => {
  it.each([
    // Exactly at the threshold passes; a micro-dollar more cost fails.
    { delivery: 'task', model: 'k2p5', input: 0, output: 75_000, discount: 0, margin: '55.00', guardrail: 'pass' },
    { delivery: 'task', model: 'k2p5', input: 1, output: 75_000, discount: 0, margin: '54.99', guardrail: 'fail' },
    { delivery: 'subscription', model: 'sonnet', input: 100_000, output: 100_000, discount: 0, margin: '50.00', guardrail: 'pass' },
    { delivery: 'task', model: 'sonnet', input: 100_000, output: 100_000, discount: 0, margin: '50.00', guardrail: 'fail' },
    { delivery: 'enterprise', model: 'opus', input: 55_000, output: 0, discount: 10, margin: '45.00', guardrail: 'pass' },
    { delivery: 'subscription', model: 'opus', input: 55_000, output: 0, discount: 10, margin: '45.00', guardrail: 'fail' },
  ] as const)('$delivery at $margin% -> $guardrail', ({ delivery, model, input, output, discount, margin, guardrail }) => {
    const p = price({ model, complexity: 'low', segment: 'startup', inputTokens: input, outputTokens: output, delivery, discountPct: discount });
    expect(p.grossMarginPct.toFixed(2)).toBe(margin);
    expect(p.guardrail).toBe(guardrail);
    expect(p.marginThresholdPct.toFixed()).toBe({ task: '55', subscription: '50', enterprise: '45' }[delivery]);
  });

  it('lands on the same side every time for a boundary quote', () => {
    const sides = new Set(
      Array.from({ length: 50 }, () => price({ model: 'k2p5', complexity: 'low', segment: 'startup', inputTokens: 0, outputTokens: 75_000 }).guardrail),
    );
    expect([...sides]).toEqual(['pass']);
  });
});
