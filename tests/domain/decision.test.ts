import { describe, expect, it } from 'vitest';
import { decideQuote } from '../../src/domain/decision.js';
import { discountBand } from '../../src/domain/discount-matrix.js';
import { priceQuote } from '../../src/domain/pricing.js';
import Big from 'big.js';
import { quoteRequest, seedCatalog, seedPolicy } from '../helpers/seed.js';

const { rateCard } = seedCatalog;
const policy = seedPolicy;
const decide = (overrides: Parameters<typeof quoteRequest>[0]) => {
  const request = quoteRequest({ model: 'sonnet', complexity: 'medium', segment: 'mid_market', inputTokens: 100_000, outputTokens: 100_000, ...overrides });
  const rate = rateCard.models.get(request.model)!;
  const price = priceQuote(request, rate, policy);
  return { price, decision: decideQuote(request, price, policy) };
};

describe('the discount approval matrix', () => {
  it.each([
    [0, 'account_executive'],
    [10, 'account_executive'],
    [10.5, 'sales_manager'],
    [11, 'sales_manager'],
    [20, 'sales_manager'],
    [21, 'revenue_lead'],
    [30, 'revenue_lead'],
    [30.01, 'executive'],
    [60, 'executive'],
  ])('%s%% is approved by %s', (discount, approver) => {
    expect(discountBand(policy.discountBands, new Big(discount)).approver).toBe(approver);
  });
});

describe('the decision', () => {
  it.each([
    { discount: 0, status: 'approved', approver: 'account_executive', price: '7.20' },
    { discount: 10, status: 'approved', approver: 'account_executive', price: '6.48' },
    { discount: 15, status: 'approved_with_conditions', approver: 'sales_manager', price: '6.12' },
    { discount: 20, status: 'approved_with_conditions', approver: 'sales_manager', price: '5.76' },
    { discount: 25, status: 'escalated', approver: 'revenue_lead', price: '5.40' },
    { discount: 35, status: 'escalated', approver: 'executive', price: '4.68' },
  ])('discount $discount% -> $status ($approver)', ({ discount, status, approver, price: finalPrice }) => {
    const { price, decision } = decide({ discountPct: discount });
    expect(price.finalPrice.toFixed(2)).toBe(finalPrice);
    expect(price.guardrail).toBe('pass');
    expect(decision.status).toBe(status);
    expect(decision.approver).toBe(approver);
    expect(decision.guardrailRoute).toBeNull();
  });

  it('names the sales_manager conditions for an 11-20% discount', () => {
    const { decision } = decide({ discountPct: 15 });
    expect(decision.conditions).toEqual(['Discount 15% needs sales_manager approval and multi-quarter commitment required.']);
  });

  it.each([
    { delivery: 'task', route: 'Deal Desk' },
    { delivery: 'subscription', route: 'Deal Desk + repackage' },
    { delivery: 'enterprise', route: 'Executive review' },
  ] as const)('a failed $delivery guardrail escalates to $route', ({ delivery, route }) => {
    // opus high startup (4x) at 60% off: cost 1.75, price 2.80, margin 37.5% fails every guardrail.
    const { price, decision } = decide({ model: 'opus', complexity: 'high', segment: 'startup', outputTokens: 50_000, delivery, discountPct: 60 });
    expect(price.guardrail).toBe('fail');
    expect(decision.status).toBe('escalated');
    expect(decision.guardrailRoute).toBe(route);
    expect(decision.reasons[0]).toContain(`goes to ${route}`);
  });

  it.each([
    { name: 'non-standard SLA', overrides: { nonStandardTerms: true }, status: 'escalated' },
    { name: 'scope growth 31%', overrides: { scopeGrowthPct: 31 }, status: 'escalated' },
    { name: 'scope growth exactly 30%', overrides: { scopeGrowthPct: 30 }, status: 'approved' },
    { name: 'unclear scope', overrides: { scopeUnclear: true }, status: 'approved_with_conditions' },
  ])('$name -> $status', ({ overrides, status }) => {
    expect(decide(overrides).decision.status).toBe(status);
  });

  it('returns every reason when several triggers fire', () => {
    const { decision } = decide({ discountPct: 25, nonStandardTerms: true, scopeGrowthPct: 40, scopeUnclear: true, delivery: 'task', complexity: 'low', segment: 'startup' });
    expect(decision.status).toBe('escalated');
    expect(decision.reasons).toHaveLength(5);
    expect(decision.reasons.join(' ')).toMatch(/guardrail.*over 20%.*legal\/revops.*scope growth 40%.*unclear/s);
  });

  it.each([
    { name: 'approved', overrides: {}, to: [] },
    { name: 'conditions only', overrides: { discountPct: 15, scopeUnclear: true }, to: [] },
    { name: 'discount 25%', overrides: { discountPct: 25 }, to: ['revenue_lead'] },
    { name: 'non-standard SLA', overrides: { nonStandardTerms: true }, to: ['legal/revops'] },
    { name: 'scope growth 31%', overrides: { scopeGrowthPct: 31 }, to: ['Deal Desk'] },
    // A failed task guardrail and scope growth both go to the Deal Desk: named once.
    { name: 'guardrail + scope', overrides: { complexity: 'low', segment: 'startup', discountPct: 20, scopeGrowthPct: 40 }, to: ['Deal Desk'] },
    { name: 'everything', overrides: { delivery: 'subscription', complexity: 'low', segment: 'startup', discountPct: 35, nonStandardTerms: true, scopeGrowthPct: 40 }, to: ['Deal Desk + repackage', 'executive', 'legal/revops', 'Deal Desk'] },
  ] as const)('$name escalates to $to, each route named in a reason', ({ overrides, to }) => {
    const { decision } = decide(overrides);
    expect(decision.escalatedTo).toEqual(to);
    expect(decision.status === 'escalated').toBe(to.length > 0);
    for (const route of to) expect(decision.reasons.some((r) => r.includes(route))).toBe(true);
  });

  it('explains an approval', () => {
    expect(decide({}).decision.reasons).toEqual([
      'Gross margin 75.00% meets the 55% task guardrail.',
      'Discount 0% is within account_executive authority (standard terms only).',
    ]);
  });
});
