import { discountBand } from '../domain/discount-matrix.js';
import type { PricingPolicy } from '../domain/pricing-types.js';
import type { QuoteRecord } from '../domain/quote-record.js';
import { qaMarginBand, type MarginBand } from '../domain/thresholds.js';

/** Playbook §34: margin bands for the nightly QA, from the domain's named bounds. */
export type { MarginBand };
export const marginBand = qaMarginBand;

export type RecoveryAction = 'tighten scope' | 'move to subscription packaging' | 'require phased delivery';

export interface QaFinding {
  quote: QuoteRecord;
  band: MarginBand;
  action: RecoveryAction | null;
  /** The approver the matrix requires now, when it differs from the one recorded. */
  approverMismatch: { recorded: string; required: string } | null;
}

function recoveryAction(q: QuoteRecord, band: MarginBand): RecoveryAction | null {
  if (band === 'healthy') return null;
  if (band === 'critical') return 'require phased delivery';
  return q.request.delivery === 'task' ? 'move to subscription packaging' : 'tighten scope';
}

/** Each quote's band, its recovery action when at risk, and whether its approver matches its version's matrix. */
export function qaFindings(quotes: readonly QuoteRecord[], policyOf: (q: QuoteRecord) => PricingPolicy): QaFinding[] {
  return quotes.map((quote) => {
    const band = marginBand(quote.price.grossMarginPct);
    // Judged by the version the quote was priced under: a later policy change is not a mismatch.
    const required = discountBand(policyOf(quote).discountBands, quote.request.discountPct).approver;
    return {
      quote,
      band,
      action: recoveryAction(quote, band),
      approverMismatch: required === quote.decision.approver ? null : { recorded: quote.decision.approver, required },
    };
  });
}
