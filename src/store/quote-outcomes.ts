import { LOSS_REASONS, type LossReason, type QuoteState } from '../domain/quote-life.js';
import type { QuoteOutcome } from '../domain/quote-outcomes.js';
import type { Segment } from '../domain/pricing-types.js';
import type { Db } from './open.js';
import { stmt } from './statements.js';

const isLossReason = (r: unknown): r is LossReason => typeof r === 'string' && (LOSS_REASONS as readonly string[]).includes(r);

/** Quotes won or lost in [from, to), by when the verdict was recorded (quote_history_by_state_at). */
export function outcomesBetween(db: Db, from: Date, to: Date): QuoteOutcome[] {
  return stmt<[string, string], { to_state: 'won' | 'lost'; detail: string; segment: Segment }>(
    db,
    `SELECT h.to_state, h.detail, q.segment FROM quote_history h JOIN quotes q ON q.seq = h.quote_seq
      WHERE h.to_state IN ('won', 'lost') AND h.at >= ? AND h.at < ? ORDER BY h.id`,
  )
    .all(from.toISOString(), to.toISOString())
    .map((r) => {
      const reason = (JSON.parse(r.detail) as { reason?: unknown }).reason;
      return { segment: r.segment, outcome: r.to_state, reason: r.to_state === 'lost' ? (isLossReason(reason) ? reason : null) : null };
    });
}

/** Quotes the desk approved in [from, to): outright, or as a strategic exception. */
export function deskApprovalsBetween(db: Db, from: Date, to: Date): { quoteSeq: number; to: QuoteState }[] {
  return stmt<[string, string], { quote_seq: number; to_state: QuoteState }>(
    db,
    `SELECT quote_seq, to_state FROM quote_history
      WHERE to_state IN ('approved_by_desk', 'approved_as_exception') AND at >= ? AND at < ? ORDER BY quote_seq`,
  )
    .all(from.toISOString(), to.toISOString())
    .map((r) => ({ quoteSeq: r.quote_seq, to: r.to_state }));
}
