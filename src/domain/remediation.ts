import Big from 'big.js';
import { floorPct, roundToCents } from './money.js';
import type { PricingPolicy, QuoteDecision, QuotePrice, QuoteRequest } from './pricing-types.js';

/** Playbook §36: one remediation path per escalated quote. */
export type Remediation = 'reduce scope' | 'repackage to subscription' | 'keep scope, raise price';

export interface RemediationPlan {
  path: Remediation;
  /** The margin the quote would carry after the change, as a percentage rounded down. */
  expectedMarginPct: Big;
  why: string;
}

function marginAt(price: Big, cost: Big): Big {
  return floorPct(price.minus(cost).times(100).div(price));
}

/**
 * Picks the least disruptive path that clears the escalation: move a task that would pass as a
 * subscription; otherwise raise the price (cut the discount to the conditional band, or price up to
 * the guardrail); scope and terms problems are fixed by reducing scope.
 */
export function remediate(request: QuoteRequest, price: QuotePrice, decision: QuoteDecision, policy: PricingPolicy): RemediationPlan {
  const subscription = policy.marginGuardrailPct.subscription;
  if (price.guardrail === 'fail') {
    if (request.delivery === 'task' && price.grossMarginPct.gte(subscription)) {
      return { path: 'repackage to subscription', expectedMarginPct: price.grossMarginPct, why: `${price.grossMarginPct.toFixed(2)}% clears the ${subscription.toFixed()}% subscription guardrail` };
    }
    // The lowest price, in cents, at which the guardrail holds: cost / (1 - threshold).
    const threshold = price.marginThresholdPct;
    const needed = price.internalCost.div(new Big(1).minus(threshold.div(100))).round(2, Big.roundUp);
    return { path: 'keep scope, raise price', expectedMarginPct: marginAt(needed, price.internalCost), why: `price at least ${needed.toFixed(2)} to meet the ${threshold.toFixed()}% guardrail` };
  }
  if (request.discountPct.gt(policy.escalation.discountOverPct)) {
    const cap = policy.escalation.discountOverPct;
    const raised = roundToCents(price.recommendedPrice.times(new Big(100).minus(cap)).div(100));
    return { path: 'keep scope, raise price', expectedMarginPct: marginAt(raised, price.internalCost), why: `discount cut to ${cap.toFixed()}%` };
  }
  return {
    path: 'reduce scope',
    expectedMarginPct: price.grossMarginPct,
    why: decision.reasons.find((r) => /scope|SLA|liability/i.test(r)) ?? 'scope or terms need tightening',
  };
}
