import { discountBand } from './discount-matrix.js';
import { formatPct } from './money.js';
import type { PricingPolicy, QuoteDecision, QuotePrice, QuoteRequest } from './pricing-types.js';

const pct = (value: { toFixed(): string }) => `${value.toFixed()}%`;

/** §21: non-standard SLA or liability terms need legal/revops approval. */
export const NON_STANDARD_TERMS_ROUTE = 'legal/revops';
/** §35: an escalation with no route of its own (scope growth) goes to the Deal Desk. */
export const DEAL_DESK_ROUTE = 'Deal Desk';

/**
 * The deal desk's decision (playbook sections 21, 33 and 35). Every trigger that fired is named
 * in the reasons, so a rep can see all that stands between the quote and an approval.
 */
export function decideQuote(request: QuoteRequest, price: QuotePrice, policy: PricingPolicy): QuoteDecision {
  const band = discountBand(policy.discountBands, request.discountPct);
  const { escalation } = policy;
  // Each escalation names where it goes, so the quote can show its routes beside its reasons.
  const escalations: { reason: string; route: string }[] = [];
  const conditions: string[] = [];

  if (price.guardrail === 'fail') {
    const route = policy.guardrailFailRoute[request.delivery];
    escalations.push({
      reason: `Gross margin ${formatPct(price.grossMarginPct)} is below the ${pct(price.marginThresholdPct)} ${request.delivery} guardrail; goes to ${route}.`,
      route,
    });
  }
  if (request.discountPct.gt(escalation.discountOverPct)) {
    escalations.push({
      reason: `Discount ${pct(request.discountPct)} is over ${pct(escalation.discountOverPct)}; needs ${band.approver} approval (${band.condition.toLowerCase()}).`,
      route: band.approver,
    });
  }
  if (request.nonStandardTerms) {
    escalations.push({ reason: `Non-standard SLA or liability terms requested; needs ${NON_STANDARD_TERMS_ROUTE} approval.`, route: NON_STANDARD_TERMS_ROUTE });
  }
  if (request.scopeGrowthPct.gt(escalation.scopeGrowthOverPct)) {
    escalations.push({
      reason: `Expected scope growth ${pct(request.scopeGrowthPct)} is over ${pct(escalation.scopeGrowthOverPct)}; goes to ${DEAL_DESK_ROUTE}.`,
      route: DEAL_DESK_ROUTE,
    });
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
  const base = { approver: band.approver, approverCondition: band.condition, guardrailRoute, escalatedTo: [] as string[] };

  if (escalations.length > 0) {
    const escalatedTo = [...new Set(escalations.map((e) => e.route))];
    return { ...base, status: 'escalated', reasons: [...escalations.map((e) => e.reason), ...conditions], conditions, escalatedTo };
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
