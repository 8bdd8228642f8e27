import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { decideQuote } from '../../src/domain/decision.js';
import { priceQuote } from '../../src/domain/pricing.js';
import { lowestClearingPrice, remediate } from '../../src/domain/remediation.js';
import { quoteRequest, seedCatalog, seedPolicy } from '../helpers/seed.js';

const { rateCard } = seedCatalog;
const policy = seedPolicy;
const plan = (overrides: Parameters<typeof quoteRequest>[0]) => {
  const request = quoteRequest(overrides);
  const rate = rateCard.models.get(request.model);
  if (!rate) throw new Error(request.model);
  const price = priceQuote(request, rate, policy);
  const decision = decideQuote(request, price, policy);
  expect(decision.status).toBe('escalated');
  return remediate(request, price, policy);
};
/** The guardrail's test, as priceQuote applies it. */
const passes = (price: Big, cost: Big, t: Big) => price.minus(cost).times(100).gte(t.times(price));

describe('the lowest price that clears a guardrail', () => {
  it.each([
    { cost: '0.3', t: 55, price: '0.67' }, // 0.6666... rounds up
    { cost: '0.45', t: 55, price: '1.00' }, // exactly 55% at $1.00: the boundary passes
    { cost: '1.75', t: 55, price: '3.89' },
    { cost: '1.75', t: 50, price: '3.50' },
    { cost: '1.75', t: 45, price: '3.19' },
    { cost: '0.0036', t: 55, price: '0.50' }, // the floor is the least any quote may be
    { cost: '0', t: 55, price: '0.50' },
    { cost: '1', t: 100, price: null }, // no price clears a 100% guardrail on a real cost
  ])('cost $cost at $t% -> $price', ({ cost, t, price }) => {
    const c = new Big(cost);
    const th = new Big(t);
    const got = lowestClearingPrice(c, th, policy.priceFloor);
    expect(got?.toFixed(2) ?? null).toBe(price);
    if (got) {
      expect(passes(got, c, th)).toBe(true);
      // A cent less fails, unless the floor is what set the price.
      if (got.gt(policy.priceFloor)) expect(passes(got.minus('0.01'), c, th)).toBe(false);
    }
  });
});

describe('remediation matches the reason', () => {
  it.each([
    {
      name: 'failed task guardrail, too thin for a subscription',
      quote: { inputTokens: 0, outputTokens: 100_000, complexity: 'low', segment: 'startup', discountPct: 5 },
      path: 'keep scope, raise price', why: '$0.67 clears 55%', margin: '55.22',
    },
    {
      name: 'failed task guardrail exactly at the subscription guardrail',
      quote: { inputTokens: 0, outputTokens: 100_000, complexity: 'low', segment: 'startup' },
      path: 'repackage to subscription', why: '50.00% clears the 50% subscription guardrail', margin: '50.00',
    },
    {
      name: 'failed guardrail and a 60% discount: both named, the margin at the higher price',
      quote: { model: 'opus', complexity: 'high', segment: 'startup', inputTokens: 100_000, outputTokens: 50_000, discountPct: 60 },
      path: 'keep scope, raise price', why: '$3.89 clears 55%; discount cut to 20%: $5.60', margin: '68.75',
    },
    {
      name: 'failed enterprise guardrail',
      quote: { model: 'opus', complexity: 'low', segment: 'startup', inputTokens: 100_000, outputTokens: 50_000, discountPct: 20, delivery: 'enterprise' },
      path: 'keep scope, raise price', why: '$3.19 clears 45%', margin: '45.14',
    },
    {
      name: 'discount over 20% only',
      quote: { model: 'sonnet', segment: 'mid_market', inputTokens: 100_000, outputTokens: 100_000, discountPct: 25 },
      path: 'keep scope, raise price', why: 'discount cut to 20%: $5.76', margin: '68.75',
    },
    {
      name: 'non-standard SLA: standard terms, not a scope cut',
      quote: { model: 'sonnet', segment: 'mid_market', inputTokens: 100_000, outputTokens: 100_000, nonStandardTerms: true },
      path: 'return to standard terms', why: 'standard SLA and liability terms, or legal/revops approval', margin: '75.00',
    },
    {
      name: 'scope growth over 30%',
      quote: { model: 'sonnet', segment: 'mid_market', inputTokens: 100_000, outputTokens: 100_000, scopeGrowthPct: 40 },
      path: 'reduce scope', why: 'expected scope growth 40% is over 30%: cap it or phase the work', margin: '75.00',
    },
  ] as const)('$name -> $path ($why)', ({ quote, path, why, margin }) => {
    const p = plan(quote);
    expect(p.path).toBe(path);
    expect(p.why).toBe(why);
    expect(p.expectedMarginPct.toFixed(2)).toBe(margin);
  });
});
