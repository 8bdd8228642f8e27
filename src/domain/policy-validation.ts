import Big from 'big.js';
import type { ExpectedMargin, VersionKind } from './policy-version.js';
import { averageMarginPct } from './portfolio.js';

/**
 * Playbook §48 step 4 and §49: for a week after a change the quotes priced under it are compared with
 * the week before it, and two triggers say the change is backfiring. Pure: the workflow loads the
 * quotes and the time, this decides.
 */

const HOUR_MS = 3_600_000;
/** How long a change is watched, and how far back its baseline reaches. */
export const VALIDATION_WINDOW_MS = 7 * 24 * HOUR_MS;
/** §49: "the escalation rate up more than 20% within 48 hours of the change". */
export const ESCALATION_WINDOW_MS = 48 * HOUR_MS;
/** §49: margins moving opposite to the expected outcome by more than 10%, relative to the week before. */
export const MARGIN_MOVE_LIMIT = new Big('0.10');
/** §49: the escalation rate up by more than 20%, relative to the week before. */
export const ESCALATION_RISE_LIMIT = new Big('0.20');
/**
 * The fewest quotes on each side (the week before, and under the change) before either trigger is
 * judged: with fewer, one unusual quote is most of the average, and a rollback alert would be noise.
 */
export const MIN_SAMPLE = 5;
/**
 * The fewest escalated quotes under the change before a rise counts: from a week with no
 * escalation, any single escalated quote is an "infinite" rise, and one quote must not call for a
 * rollback.
 */
export const MIN_ESCALATED_AFTER = 2;

/** The kinds of version a person proposed with an expected outcome: the ones validation watches. */
export const VALIDATED_KINDS: readonly VersionKind[] = ['change', 'season_start'];

export type TriggerReason = 'margin_opposite' | 'escalation_spike';
export const TRIGGER_REASONS: readonly TriggerReason[] = ['margin_opposite', 'escalation_spike'];

/** What validation needs of one quote. */
export interface ValidationQuote {
  at: Date;
  grossMarginPct: Big;
  /** The pricing decision escalated it (the escalation rate's numerator). */
  escalated: boolean;
}

export interface SideFigures {
  quotes: number;
  escalated: number;
  /** The one average-margin rule (portfolio.ts); null with no quotes. */
  avgMarginPct: Big | null;
  /** Escalated share in percent, two places, rounded down; null with no quotes. */
  escalationRatePct: Big | null;
}

export function sideFigures(quotes: readonly ValidationQuote[]): SideFigures {
  const escalated = quotes.filter((q) => q.escalated).length;
  return {
    quotes: quotes.length,
    escalated,
    avgMarginPct: averageMarginPct(quotes),
    escalationRatePct: quotes.length ? new Big(escalated).times(100).div(quotes.length).round(2, Big.roundDown) : null,
  };
}

/** The relative move of the average margin, after against before: -0.1 is 10% lower. Null when either is unknown or the baseline is 0. */
export function marginMove(before: Big | null, after: Big | null): Big | null {
  if (before === null || after === null || before.eq(0)) return null;
  return after.minus(before).div(before.abs());
}

/**
 * Whether the margin moved against what the change expected by more than 10%: down for an expected
 * rise, up for an expected fall, either way for 'steady' (and for a change that named no direction,
 * where any large move is unexplained). Exactly 10% does not trigger.
 */
export function marginOpposite(before: Big, after: Big, expected: ExpectedMargin | null): boolean {
  const move = marginMove(before, after);
  if (move === null) return false;
  if (expected === 'up') return move.lt(MARGIN_MOVE_LIMIT.neg());
  if (expected === 'down') return move.gt(MARGIN_MOVE_LIMIT);
  return move.abs().gt(MARGIN_MOVE_LIMIT);
}

/**
 * Whether the escalation rate rose by more than 20% (relative): after/afterN > 1.2 x before/beforeN,
 * compared by cross-multiplication so no rounded rate decides a boundary. Exactly 20% does not.
 */
export function escalationRose(before: Pick<SideFigures, 'quotes' | 'escalated'>, after: Pick<SideFigures, 'quotes' | 'escalated'>): boolean {
  if (before.quotes === 0 || after.quotes === 0) return false;
  const lhs = new Big(after.escalated).times(before.quotes);
  const rhs = ESCALATION_RISE_LIMIT.plus(1).times(before.escalated).times(after.quotes);
  return lhs.gt(rhs);
}

/** The escalation rate's relative rise (0.5 = 50% higher); null when the week before had none. */
export function escalationRise(before: SideFigures, after: SideFigures): Big | null {
  if (before.quotes === 0 || after.quotes === 0 || before.escalated === 0) return null;
  return new Big(after.escalated).times(before.quotes).div(new Big(before.escalated).times(after.quotes)).minus(1);
}

export interface ValidationInput {
  effectiveAt: Date;
  expectedMargin: ExpectedMargin | null;
  /** Quotes from the week before the change (others are ignored). */
  before: readonly ValidationQuote[];
  /** Quotes priced under the change (those after `now` or after its week are ignored). */
  after: readonly ValidationQuote[];
  now: Date;
}

export interface Validation {
  before: SideFigures;
  /** Under the change, from effective_at to now (at most a week). */
  after: SideFigures;
  /** Under the change within its first 48 hours: what the escalation trigger judges. */
  first48h: SideFigures;
  marginMove: Big | null;
  escalationRise: Big | null;
  /** Each trigger that fires, in a fixed order. */
  triggers: TriggerReason[];
  /** Why a trigger could not be judged yet (too few quotes), for the reports. */
  pending: string[];
}

const within = (q: ValidationQuote, from: number, to: number) => q.at.getTime() >= from && q.at.getTime() <= to;

/** §49's two triggers for one change, judged at `now`. */
export function validateChange(input: ValidationInput): Validation {
  const eff = input.effectiveAt.getTime();
  const now = input.now.getTime();
  const before = sideFigures(input.before.filter((q) => q.at.getTime() >= eff - VALIDATION_WINDOW_MS && q.at.getTime() < eff));
  const after = sideFigures(input.after.filter((q) => within(q, eff, Math.min(now, eff + VALIDATION_WINDOW_MS))));
  const first48h = sideFigures(input.after.filter((q) => within(q, eff, Math.min(now, eff + ESCALATION_WINDOW_MS))));
  const triggers: TriggerReason[] = [];
  const pending: string[] = [];
  if (before.quotes < MIN_SAMPLE) pending.push(`${before.quotes} quotes in the week before (at least ${MIN_SAMPLE} needed)`);
  else {
    if (after.quotes < MIN_SAMPLE) pending.push(`${after.quotes} quotes under the change (at least ${MIN_SAMPLE} needed)`);
    else if (before.avgMarginPct && after.avgMarginPct && marginOpposite(before.avgMarginPct, after.avgMarginPct, input.expectedMargin)) {
      triggers.push('margin_opposite');
    }
    if (first48h.quotes >= MIN_SAMPLE && first48h.escalated >= MIN_ESCALATED_AFTER && escalationRose(before, first48h)) triggers.push('escalation_spike');
  }
  return {
    before,
    after,
    first48h,
    marginMove: marginMove(before.avgMarginPct, after.avgMarginPct),
    escalationRise: escalationRise(before, first48h),
    triggers,
    pending,
  };
}
