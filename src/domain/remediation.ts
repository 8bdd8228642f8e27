import Big from 'big.js';
import { DEAL_DESK_ROUTE, NON_STANDARD_TERMS_ROUTE } from './decision.js';
import { floorPct, formatUsd, maxUsd, roundToCents, type Usd } from './money.js';
import type { DeliveryType, PricingPolicy, QuotePrice, QuoteRequest } from './pricing-types.js';

/**
 * Playbook §36's remediation paths, plus the one a terms problem needs: a non-standard SLA is
 * fixed by standard terms (or legal/revops approval), not by cutting scope.
 */
export type Remediation = 'reduce scope' | 'repackage to subscription' | 'keep scope, raise price' | 'return to standard terms';

/** What fixes one reason for the escalation. */
export interface RemediationStep {
  path: Remediation;
  why: string;
  /** The price the step asks for, when it changes the price. */
  price: Usd | null;
}

export interface RemediationPlan {
  /** The first step's path: the one the triage table shows. */
  path: Remediation;
  /** The margin after every step, as a percentage rounded down. */
  expectedMarginPct: Big;
  /** Every step, in the order of the decision's reasons, joined. */
  why: string;
  steps: RemediationStep[];
}

const CENT = new Big('0.01');

function marginAt(price: Usd, cost: Usd): Big {
  return floorPct(price.minus(cost).times(100).div(price));
}

/** The guardrail's own test, cross-multiplied as priceQuote does it, so no division moves a boundary. */
const clears = (price: Usd, cost: Usd, thresholdPct: Big) => price.minus(cost).times(100).gte(thresholdPct.times(price));

/**
 * The lowest price, to the cent, that clears a guardrail: cost × 100 / (100 − threshold), rounded
 * up, and never under the price floor. Null when no price can (a 100% guardrail on a real cost).
 */
export function lowestClearingPrice(cost: Usd, thresholdPct: Big, floor: Usd): Usd | null {
  const headroom = new Big(100).minus(thresholdPct);
  if (headroom.lte(0)) return cost.eq(0) ? maxUsd(floor, CENT) : null;
  let price = maxUsd(cost.times(100).div(headroom).round(2, Big.roundUp), roundToCents(floor));
  if (price.lte(0)) price = CENT;
  // big.js divides to 20 places; should that ever land a hair under the exact bound, one more cent clears it.
  if (!clears(price, cost, thresholdPct)) price = price.plus(CENT);
  return price;
}

function guardrailStep(request: QuoteRequest, price: QuotePrice, policy: PricingPolicy): RemediationStep {
  const subscription: DeliveryType = 'subscription';
  const subscriptionGuardrail = policy.marginGuardrailPct[subscription];
  if (request.delivery === 'task' && clears(price.finalPrice, price.internalCost, subscriptionGuardrail)) {
    return {
      path: 'repackage to subscription',
      why: `${price.grossMarginPct.toFixed(2)}% clears the ${subscriptionGuardrail.toFixed()}% ${subscription} guardrail`,
      price: null,
    };
  }
  const needed = lowestClearingPrice(price.internalCost, price.marginThresholdPct, policy.priceFloor);
  if (!needed) {
    return { path: 'reduce scope', why: `no price clears a ${price.marginThresholdPct.toFixed()}% guardrail: cut the work`, price: null };
  }
  return { path: 'keep scope, raise price', why: `${formatUsd(needed)} clears ${price.marginThresholdPct.toFixed()}%`, price: needed };
}

function discountStep(price: QuotePrice, policy: PricingPolicy): RemediationStep {
  const cap = policy.escalation.discountOverPct;
  const capped = roundToCents(maxUsd(price.recommendedPrice.times(new Big(100).minus(cap)).div(100), policy.priceFloor));
  return { path: 'keep scope, raise price', why: `discount cut to ${cap.toFixed()}%: ${formatUsd(capped)}`, price: capped };
}

/**
 * One step per reason the quote escalated, in the decision's order: a failed guardrail is
 * repackaged (a task whose margin would pass as a subscription) or priced to the lowest price that
 * clears; a discount over the escalation line is cut to it; non-standard terms go back to standard
 * ones; scope growth over the line is reduced. The expected margin is the margin at the highest
 * price the steps ask for, since a quote must clear all of them.
 */
export function remediate(request: QuoteRequest, price: QuotePrice, policy: PricingPolicy): RemediationPlan {
  const { escalation } = policy;
  const steps: RemediationStep[] = [];
  if (price.guardrail === 'fail') steps.push(guardrailStep(request, price, policy));
  if (request.discountPct.gt(escalation.discountOverPct)) steps.push(discountStep(price, policy));
  if (request.nonStandardTerms) {
    steps.push({ path: 'return to standard terms', why: `standard SLA and liability terms, or ${NON_STANDARD_TERMS_ROUTE} approval`, price: null });
  }
  if (request.scopeGrowthPct.gt(escalation.scopeGrowthOverPct)) {
    steps.push({
      path: 'reduce scope',
      why: `expected scope growth ${request.scopeGrowthPct.toFixed()}% is over ${escalation.scopeGrowthOverPct.toFixed()}%: cap it or phase the work`,
      price: null,
    });
  }
  if (steps.length === 0) steps.push({ path: 'reduce scope', why: `no rule of today's policy escalates it: ask the ${DEAL_DESK_ROUTE}`, price: null });

  const prices = steps.map((s) => s.price).filter((p): p is Usd => p !== null);
  const target = prices.reduce<Usd | null>((max, p) => (max === null || p.gt(max) ? p : max), null);
  const first = steps[0] as RemediationStep;
  return {
    path: first.path,
    expectedMarginPct: target && target.gt(price.finalPrice) ? marginAt(target, price.internalCost) : price.grossMarginPct,
    why: steps.map((s) => s.why).join('; '),
    steps,
  };
}
