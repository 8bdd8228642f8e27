import { floorPct, maxUsd, roundToCents, roundToMicros, usd, type Usd } from './money.js';
import type { ModelRate, PricingPolicy, QuotePrice, QuoteRequest } from './pricing-types.js';

export function internalCost(rate: ModelRate, inputTokens: number, outputTokens: number): Usd {
  const input = usd(inputTokens).div(1000).times(rate.inputPer1k);
  const output = usd(outputTokens).div(1000).times(rate.outputPer1k);
  return roundToMicros(input.plus(output));
}

/**
 * The price of a quote under one policy. Pure: the same request, rate and policy give the same
 * price every time, and a margin exactly at its threshold always passes.
 */
export function priceQuote(request: QuoteRequest, rate: ModelRate, policy: PricingPolicy): QuotePrice {
  const cost = internalCost(rate, request.inputTokens, request.outputTokens);
  const baseMarkup = policy.baseMarkup[request.complexity];
  const segmentAdjustment = policy.segmentAdjustment[request.segment];
  const finalMarkup = baseMarkup.plus(segmentAdjustment);

  const marked = cost.times(finalMarkup);
  const recommended = maxUsd(marked, policy.priceFloor);
  const discounted = recommended.times(usd(100).minus(request.discountPct)).div(100);
  const finalPrice = roundToCents(maxUsd(discounted, policy.priceFloor));
  const floorApplied = marked.lt(policy.priceFloor) || discounted.lt(policy.priceFloor);

  const threshold = policy.marginGuardrailPct[request.delivery];
  const profit = finalPrice.minus(cost);
  // Compare cross-multiplied so that no division can nudge a boundary quote to the other side.
  const passes = profit.times(100).gte(threshold.times(finalPrice));

  return {
    internalCost: cost,
    baseMarkup,
    segmentAdjustment,
    finalMarkup,
    floorApplied,
    recommendedPrice: roundToCents(recommended),
    discountPct: request.discountPct,
    finalPrice,
    grossMarginPct: floorPct(profit.times(100).div(finalPrice)),
    marginThresholdPct: threshold,
    guardrail: passes ? 'pass' : 'fail',
  };
}
