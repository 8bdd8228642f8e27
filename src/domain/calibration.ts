/**
 * The monthly calibration (playbook §50): the last 4 weeks of quotes by segment, how many were won,
 * quoted against accepted price, margin against target, and the playbook's signals, each with one
 * suggested single-variable change. Pure: the shell loads the quotes and the rules in force.
 */
import Big from 'big.js';
import { marginBySegmentAndDelivery, type MarginSample } from './portfolio.js';
import type { PolicyRules } from './policy-version.js';
import { winRatePct } from './quote-outcomes.js';
import { SEGMENTS, type DeliveryType, type Segment } from './pricing-types.js';

export const CALIBRATION_WINDOW_DAYS = 28;
/** §50's signal thresholds: win rate in percent, margin in points against the delivery type's guardrail. */
export const WIN_RATE_HIGH_PCT = 70;
export const WIN_RATE_LOW_PCT = 30;
export const MARGIN_OVER_TARGET_POINTS = 15;
export const MARGIN_UNDER_TARGET_POINTS = 10;
/**
 * The least evidence a signal is read from: a win rate from fewer than 10 won-or-lost quotes, or an
 * average margin from fewer than 10 quotes of one segment and delivery type, swings by 10 points
 * with a single quote. Below it the report says "not enough data" instead of a signal.
 */
export const MIN_DECIDED_QUOTES = 10;
export const MIN_MARGIN_QUOTES = 10;
/** One step of a segment's markup: inside the 0.5x of a minor change (§48), so a revenue manager reviews it. */
export const SEGMENT_STEP = 0.25;
/** One step of a guardrail, in points: a threshold change, so major. */
export const GUARDRAIL_STEP_POINTS = 5;

/** What the report needs of one quote of the window. */
export interface CalibrationQuote extends MarginSample {
  finalPrice: Big;
  /** What became of it: won, lost, or still without a verdict. */
  outcome: 'won' | 'lost' | null;
}

export type SignalKind = 'win_rate_high' | 'win_rate_low' | 'margin_over_target' | 'margin_under_target';

export interface Signal {
  kind: SignalKind;
  /** What the figure says, as §50 words it. */
  reading: string;
  /** One variable to change: path and new value, ready for /policy propose. */
  change: { path: string; value: number };
  /** What the change should do, for the proposal's §48 record; §50 rolls back what shows no gain in 2 weeks. */
  expected: string;
  expectedMargin: 'up' | 'down';
  rollbackCriteria: string;
}

export interface MarginGroup {
  delivery: DeliveryType;
  quotes: number;
  avgMarginPct: Big;
  targetPct: Big;
  /** avg - target, in points. */
  gapPoints: Big;
  enough: boolean;
}

export interface SegmentCalibration {
  segment: Segment;
  quotes: number;
  won: number;
  lost: number;
  winRatePct: number | null;
  /** Whether the win rate rests on enough verdicts to signal (MIN_DECIDED_QUOTES). */
  winRateEnough: boolean;
  avgQuotedUsd: Big | null;
  avgAcceptedUsd: Big | null;
  margins: MarginGroup[];
  signals: Signal[];
}

const mean = (xs: readonly Big[]) => (xs.length ? xs.reduce((s, x) => s.plus(x), new Big(0)).div(xs.length) : null);

/** §50's win-rate signal, compared exactly (won / decided against the threshold by cross-multiplying). */
export function winRateSignal(won: number, lost: number): 'high' | 'low' | 'none' | 'not_enough_data' {
  const decided = won + lost;
  if (decided < MIN_DECIDED_QUOTES) return 'not_enough_data';
  if (won * 100 > WIN_RATE_HIGH_PCT * decided) return 'high';
  if (won * 100 < WIN_RATE_LOW_PCT * decided) return 'low';
  return 'none';
}

/** §50's margin signal for one segment and delivery type: the shown average (two places) against its guardrail. */
export function marginSignal(avgMarginPct: Big, targetPct: Big, quotes: number): 'over' | 'under' | 'none' | 'not_enough_data' {
  if (quotes < MIN_MARGIN_QUOTES) return 'not_enough_data';
  if (avgMarginPct.gt(targetPct.plus(MARGIN_OVER_TARGET_POINTS))) return 'over';
  if (avgMarginPct.lt(targetPct.minus(MARGIN_UNDER_TARGET_POINTS))) return 'under';
  return 'none';
}

const step = (value: number, by: number) => Number(new Big(value).plus(by).toString());

/**
 * The report for every segment that had quotes in the window, in the policy's segment order. The
 * margin target of a quote is its delivery type's guardrail in the rules in force, compared per
 * delivery type (a segment mixing tasks and subscriptions has no single target).
 */
export function calibrate(quotes: readonly CalibrationQuote[], rules: PolicyRules): SegmentCalibration[] {
  return SEGMENTS.flatMap((segment) => {
    const mine = quotes.filter((q) => q.segment === segment);
    if (mine.length === 0) return [];
    const won = mine.filter((q) => q.outcome === 'won');
    const lost = mine.filter((q) => q.outcome === 'lost').length;
    const margins = marginBySegmentAndDelivery(mine).map((g): MarginGroup => {
      const targetPct = new Big(rules.margin_guardrail_pct[g.key.delivery]);
      return { delivery: g.key.delivery, quotes: g.count, avgMarginPct: g.avgMarginPct, targetPct, gapPoints: g.avgMarginPct.minus(targetPct), enough: g.count >= MIN_MARGIN_QUOTES };
    });
    const adjustment = rules.segment_adjustment[segment];
    const signals: Signal[] = [];
    const win = winRateSignal(won.length, lost);
    const segmentPath = `segment_adjustment.${segment}`;
    if (win === 'high') {
      signals.push({
        kind: 'win_rate_high', reading: `win rate over ${WIN_RATE_HIGH_PCT}%: prices may be too low, consider a markup increase`,
        change: { path: segmentPath, value: step(adjustment, SEGMENT_STEP) },
        expected: `${segment} margin up, win rate still over 50%`, expectedMargin: 'up', rollbackCriteria: `${segment} win rate under 50% within 2 weeks`,
      });
    } else if (win === 'low') {
      signals.push({
        kind: 'win_rate_low', reading: `win rate under ${WIN_RATE_LOW_PCT}%: prices may be too high, consider targeted discounts`,
        change: { path: segmentPath, value: step(adjustment, -SEGMENT_STEP) },
        expected: `${segment} win rate up toward ${WIN_RATE_LOW_PCT}-${WIN_RATE_HIGH_PCT}%`, expectedMargin: 'down', rollbackCriteria: `no rise in the ${segment} win rate within 2 weeks`,
      });
    }
    for (const g of margins) {
      const m = marginSignal(g.avgMarginPct, g.targetPct, g.quotes);
      // Winning most quotes at a fat margin says raise prices, not lower them: the win rate's signal
      // stands alone there, so the report never suggests two opposite moves for one segment.
      if (m === 'over' && win !== 'high') {
        signals.push({
          kind: 'margin_over_target', reading: `${g.delivery} margin more than ${MARGIN_OVER_TARGET_POINTS} points over its ${g.targetPct.toString()}% target: room to be more aggressive on price`,
          change: { path: segmentPath, value: step(adjustment, -SEGMENT_STEP) },
          expected: `more ${segment} quotes won, margin still over target`, expectedMargin: 'down', rollbackCriteria: `no rise in the ${segment} win rate within 2 weeks`,
        });
      } else if (m === 'under') {
        signals.push({
          kind: 'margin_under_target', reading: `${g.delivery} margin more than ${MARGIN_UNDER_TARGET_POINTS} points under its ${g.targetPct.toString()}% target: tighten guardrails`,
          change: { path: `margin_guardrail_pct.${g.delivery}`, value: step(rules.margin_guardrail_pct[g.delivery], GUARDRAIL_STEP_POINTS) },
          expected: `fewer ${g.delivery} quotes under target priced without review`, expectedMargin: 'up', rollbackCriteria: `no ${g.delivery} margin gain within 2 weeks`,
        });
      }
    }
    return [{
      segment,
      quotes: mine.length,
      won: won.length,
      lost,
      winRatePct: winRatePct(won.length, lost),
      winRateEnough: win !== 'not_enough_data',
      avgQuotedUsd: mean(mine.map((q) => q.finalPrice)),
      avgAcceptedUsd: mean(won.map((q) => q.finalPrice)),
      margins,
      signals,
    }];
  });
}
