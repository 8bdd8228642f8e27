/**
 * Win rate and loss reasons (playbook §47, §50, §63): the rule every surface that shows them uses.
 * Win rate is won / (won + lost): a quote still open, or expired unanswered, is no verdict.
 */
import { SEGMENTS, type Segment } from './pricing-types.js';
import { LOSS_REASONS, type LossReason } from './quote-life.js';

export interface QuoteOutcome {
  segment: Segment;
  outcome: 'won' | 'lost';
  /** The loss reason as recorded; null for a win. */
  reason: LossReason | null;
}

export interface OutcomeSummary {
  won: number;
  lost: number;
  /** Percent to two places, rounded half-up; null with no verdict at all. */
  winRatePct: number | null;
  lossReasons: Record<LossReason, number>;
}

export function winRatePct(won: number, lost: number): number | null {
  const decided = won + lost;
  return decided === 0 ? null : Math.round((won / decided) * 10_000) / 100;
}

export function summariseOutcomes(outcomes: readonly QuoteOutcome[]): OutcomeSummary {
  const lossReasons = Object.fromEntries(LOSS_REASONS.map((r) => [r, 0])) as Record<LossReason, number>;
  let won = 0;
  let lost = 0;
  for (const o of outcomes) {
    if (o.outcome === 'won') won += 1;
    else {
      lost += 1;
      // A loss recorded before its reason was required still counts, as "other".
      lossReasons[o.reason ?? 'other'] += 1;
    }
  }
  return { won, lost, winRatePct: winRatePct(won, lost), lossReasons };
}

/** Per segment, in the policy's segment order, only segments with a verdict. */
export function outcomesBySegment(outcomes: readonly QuoteOutcome[]): { segment: Segment; summary: OutcomeSummary }[] {
  return SEGMENTS.map((segment) => ({ segment, summary: summariseOutcomes(outcomes.filter((o) => o.segment === segment)) })).filter(
    (g) => g.summary.won + g.summary.lost > 0,
  );
}

/** "price 2, competitor 1": the reasons that occurred, most frequent first. */
export function lossReasonText(reasons: Record<LossReason, number>): string {
  const seen = LOSS_REASONS.filter((r) => reasons[r] > 0).sort((a, b) => reasons[b] - reasons[a]);
  return seen.length ? seen.map((r) => `${r.replace(/_/g, ' ')} ${reasons[r]}`).join(', ') : '—';
}
