import Big from 'big.js';
import { DateTime } from 'luxon';
import { dayRange } from './calendar.js';
import { guardrailViolations } from './policy-change.js';
import type { PolicyRules } from './policy-version.js';
import { COMPLEXITIES, SEGMENTS } from './pricing-types.js';

/** §52: promotional pricing needs 30 days of planning; an emergency is the declared exception. */
export const SEASON_LEAD_DAYS = 30;
/** §52: "limited-time promotions (max 20% off, max 7 days)". */
export const PROMOTION_MAX_OFF_PCT = 20;
export const PROMOTION_MAX_DAYS = 7;

/** A season's instants: from 00:00 local on its first day to 00:00 local on the day after its last. */
export interface SeasonWindow {
  startsAt: Date;
  endsAt: Date;
}

/**
 * The window of a season given as local dates in the ops time zone, both days included: it starts
 * at 00:00 on `start` and ends at 00:00 on the day after `end`, so a day of 23 or 25 hours (a DST
 * change) is still one whole day. Problems name the field as typed.
 */
export function seasonWindow(start: string, end: string, timezone: string): { ok: true; window: SeasonWindow } | { ok: false; problems: string[] } {
  const first = dayRange(start, timezone);
  const last = dayRange(end, timezone);
  const problems: string[] = [];
  if (!first) problems.push(`start must be a date such as 2027-01-10; you gave "${start.slice(0, 40)}"`);
  if (!last) problems.push(`end must be a date such as 2027-01-31; you gave "${end.slice(0, 40)}"`);
  if (first && last && last.from.getTime() < first.from.getTime()) problems.push(`end (${end}) is before start (${start}): a season needs an end on or after its first day`);
  if (problems.length || !first || !last) return { ok: false, problems };
  return { ok: true, window: { startsAt: first.from, endsAt: last.to } };
}

/**
 * Days between two instants counted on the ops time zone's calendar (luxon's calendar arithmetic):
 * local midnight to local midnight a week later is 7 whatever DST does in between, and one minute
 * more is a little over 7.
 */
export function calendarDays(from: Date, to: Date, timezone: string): number {
  return DateTime.fromJSDate(to, { zone: timezone }).diff(DateTime.fromJSDate(from, { zone: timezone }), 'days').days;
}

export interface SeasonPlan {
  window: SeasonWindow;
  now: Date;
  timezone: string;
  /** Declared emergency: the 30-day lead does not apply. */
  emergency: boolean;
  promotion: boolean;
  /** The rules in force just before the season starts, and the season's rules. */
  before: PolicyRules;
  after: PolicyRules;
}

/**
 * Each markup a quote can carry (base for its complexity plus its segment's adjustment), before and
 * after: what a customer's price is proportional to above the floor, so "20% off" is measured here.
 */
function finalMarkups(before: PolicyRules, after: PolicyRules) {
  return COMPLEXITIES.flatMap((c) =>
    SEGMENTS.map((s) => ({
      label: `${c} complexity, ${s}`,
      before: new Big(before.base_markup[c]).plus(before.segment_adjustment[s]),
      after: new Big(after.base_markup[c]).plus(after.segment_adjustment[s]),
    })),
  );
}

/** Price drops a season makes: each lowered markup (and the floor) with its cut in percent of its current value. */
export function priceCuts(before: PolicyRules, after: PolicyRules): { label: string; before: Big; after: Big; offPct: Big }[] {
  const figures = [...finalMarkups(before, after), { label: 'the price floor', before: new Big(before.price_floor_usd), after: new Big(after.price_floor_usd) }];
  return figures
    .filter((f) => f.after.lt(f.before) && f.before.gt(0))
    .map((f) => ({ ...f, offPct: f.before.minus(f.after).times(100).div(f.before) }));
}

/**
 * §52's rules for a season, every problem at once (empty when it may be proposed): a start 30 days
 * ahead unless emergency (counted from the start of today in the ops time zone, so a season typed
 * for the date 30 days from today is in time); never starting before today nor ending in the past;
 * a season that lowers prices is a promotion and says so, at most 20% off each markup it lowers
 * (and the floor) and at most 7 days; and the guardrails of every change (§50, §52: never below 2.5x).
 */
export function seasonProblems(plan: SeasonPlan): string[] {
  const { window, now, timezone } = plan;
  const problems: string[] = [];
  const today = DateTime.fromJSDate(now, { zone: timezone }).startOf('day').toJSDate();
  const lead = calendarDays(today, window.startsAt, timezone);
  if (!plan.emergency && lead < SEASON_LEAD_DAYS) {
    problems.push(`a season is planned at least ${SEASON_LEAD_DAYS} days ahead (§52); this one starts ${lead < 0 ? 'before today' : `${formatDays(lead)} from today`}: start on ${DateTime.fromJSDate(today, { zone: timezone }).plus({ days: SEASON_LEAD_DAYS }).toISODate()} or later, or declare type=emergency`);
  }
  if (plan.emergency && window.startsAt.getTime() < today.getTime()) problems.push('a season cannot start before today');
  if (window.endsAt.getTime() <= now.getTime()) problems.push('the season would already be over');
  const cuts = priceCuts(plan.before, plan.after);
  if (cuts.length && !plan.promotion) {
    problems.push(`it lowers prices (${cuts[0]?.label} ${cuts[0]?.before.toString()} -> ${cuts[0]?.after.toString()}): a season that lowers prices is a promotion; say promotion=yes so its limits apply`);
  }
  if (plan.promotion) {
    if (cuts.length === 0) problems.push('a promotion lowers a price; this season lowers none');
    for (const cut of cuts) {
      if (cut.offPct.gt(PROMOTION_MAX_OFF_PCT)) {
        problems.push(`${cut.label}: ${cut.before.toString()} -> ${cut.after.toString()} is ${cut.offPct.round(2, Big.roundUp).toString()}% off; a promotion is at most ${PROMOTION_MAX_OFF_PCT}% off (§52)`);
      }
    }
    const length = calendarDays(window.startsAt, window.endsAt, timezone);
    if (length > PROMOTION_MAX_DAYS) problems.push(`a promotion lasts at most ${PROMOTION_MAX_DAYS} days (§52); this one lasts ${formatDays(length)}`);
  }
  problems.push(...guardrailViolations(plan.before, plan.after));
  return problems;
}

/** "29 days 23 h", "7 days 0 h 1 min": enough to see why a boundary was missed. */
function formatDays(days: number): string {
  if (days < 0) return `${formatDays(-days)} before`;
  const minutes = Math.round(days * 24 * 60);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return `${d} day${d === 1 ? '' : 's'}${h || m ? ` ${h} h` : ''}${m ? ` ${m} min` : ''}`;
}

/** Seasons already on the calendar that a new window would overlap: their end would undo the other. */
export function overlappingSeasons<S extends { id: string; startsAt: Date; endsAt: Date }>(seasons: readonly S[], window: SeasonWindow): S[] {
  return seasons.filter((s) => s.startsAt.getTime() < window.endsAt.getTime() && window.startsAt.getTime() < s.endsAt.getTime());
}
