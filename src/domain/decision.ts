import { discountBand } from './discount-matrix.js';
import { formatPct } from './money.js';
import type { PricingPolicy, QuoteDecision, QuotePrice, QuoteRequest } from './pricing-types.js';

const pct = (value: { toFixed(): string }) => `${value.toFixed()}%`;

/**
 * The deal desk's decision (playbook sections 21, 33 and 35). Every trigger that fired is named
 * in the reasons, so a rep can see all that stands between the quote and an approval.
 */
export function decideQuote(request: QuoteRequest, price: QuotePrice, policy: PricingPolicy): QuoteDecision {
  const band = discountBand(policy.discountBands, request.discountPct);
  const { escalation } = policy;
  const escalations: string[] = [];
  const conditions: string[] = [];

  if (price.guardrail === 'fail') {
    escalations.push(
      `Gross margin ${formatPct(price.grossMarginPct)} is below the ${pct(price.marginThresholdPct)} ${request.delivery} guardrail; goes to ${policy.guardrailFailRoute[request.delivery]}.`,
    );
  }
  if (request.discountPct.gt(escalation.discountOverPct)) {
    escalations.push(
      `Discount ${pct(request.discountPct)} is over ${pct(escalation.discountOverPct)}; needs ${band.approver} approval (${band.condition.toLowerCase()}).`,
    );
  }
  if (request.nonStandardTerms) {
    escalations.push('Non-standard SLA or liability terms requested; needs legal/revops approval.');
  }
  if (request.scopeGrowthPct.gt(escalation.scopeGrowthOverPct)) {
    escalations.push(
      `Expected scope growth ${pct(request.scopeGrowthPct)} is over ${pct(escalation.scopeGrowthOverPct)}.`,
    );
  }

  if (request.discountPct.gt(escalation.conditionsDiscountOverPct) && !request.discountPct.gt(escalation.discountOverPct)) {
    conditions.push(
      `Discount ${pct(request.discountPct)} needs ${band.approver} approval and ${band.condition.toLowerCase()}.`,
    );
  }
  if (request.scopeUnclear) {
    conditions.push('Scope is flagged unclear: confirm the scope in writing before sending.');
  }

  const guardrailRoute = price.guardrail === 'fail' ? policy.guardrailFailRoute[request.delivery] : null;
  const base = { approver: band.approver, approverCondition: band.condition, guardrailRoute };

  if (escalations.length > 0) {
    return { ...base, status: 'escalated', reasons: [...escalations, ...conditions], conditions };
  }
  if (conditions.length > 0) {
    return { ...base, status: 'approved_with_conditions', reasons: conditions, conditions };
  }
  return {
    ...base,
    status: 'approved',
    reasons: [
      `Gross margin ${formatPct(price.grossMarginPct)} meets the ${pct(price.marginThresholdPct)} ${request.delivery} guardrail.`,
      `Discount ${pct(request.discountPct)} is within ${band.approver} authority (${band.condition.toLowerCase()}).`,
    ],
    conditions,
  };
}
