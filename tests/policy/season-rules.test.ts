import { describe, expect, it } from 'vitest';
import { calendarDays, overlappingSeasons, seasonProblems, seasonWindow, type SeasonPlan } from '../../src/domain/policy-season.js';
import type { PolicyRules } from '../../src/domain/policy-version.js';
import { seedCatalog } from '../helpers/seed.js';

const NY = 'America/New_York';
const at = (s: string) => new Date(s);
// No segment adjustments, so a base markup's cut is the cut of every quote of that complexity.
const flat: PolicyRules = { ...seedCatalog.policyFile.rules, segment_adjustment: { enterprise: 0, mid_market: 0, smb: 0, startup: 0 } };
const withBase = (high: number): PolicyRules => ({ ...flat, base_markup: { ...flat.base_markup, high } });

/** A plan that breaks no rule: planned 60 days ahead, raises a markup, not a promotion. */
const plan = (over: Partial<SeasonPlan> = {}): SeasonPlan => ({
  window: { startsAt: at('2027-01-10T05:00:00Z'), endsAt: at('2027-02-01T05:00:00Z') },
  now: at('2026-11-11T15:00:00Z'),
  timezone: NY,
  emergency: false,
  promotion: false,
  before: flat,
  after: withBase(5.5),
  ...over,
});

describe('a season’s window: local dates in OPS_TIMEZONE, start at 00:00 of the first day, end at 00:00 after the last', () => {
  it.each([
    ['2027-01-10', '2027-01-31', '2027-01-10T05:00:00.000Z', '2027-02-01T05:00:00.000Z'],
    // The day clocks fall back is 25 hours long; the end is still the local midnight after it.
    ['2026-10-15', '2026-11-01', '2026-10-15T04:00:00.000Z', '2026-11-02T05:00:00.000Z'],
    // The day clocks spring forward is 23 hours long.
    ['2027-03-01', '2027-03-14', '2027-03-01T05:00:00.000Z', '2027-03-15T04:00:00.000Z'],
    ['2027-01-10', '2027-01-10', '2027-01-10T05:00:00.000Z', '2027-01-11T05:00:00.000Z'],
  ])('%s to %s runs [%s, %s)', (start, end, from, to) => {
    const w = seasonWindow(start, end, NY);
    expect(w.ok && { from: w.window.startsAt.toISOString(), to: w.window.endsAt.toISOString() }).toEqual({ from, to });
  });

  it.each([
    ['2027-01-31', '2027-01-10', /end \(2027-01-10\) is before start \(2027-01-31\)/],
    ['2027-02-30', '2027-03-01', /start must be a date/],
    ['2027-01-10', 'soon', /end must be a date/],
  ])('refuses start=%s end=%s', (start, end, message) => {
    const w = seasonWindow(start, end, NY);
    expect(w.ok).toBe(false);
    expect(!w.ok && w.problems.join('\n')).toMatch(message);
  });
});

describe('§52 season rules at each boundary', () => {
  // Today in New York is 2026-11-11 (10:00 EST); the lead is counted from 00:00 today.
  const today = '2026-11-11T05:00:00Z';
  const days = (n: number, extraMs = 0) => new Date(at(today).getTime() + n * 86_400_000 + extraMs);
  const lead = (startsAt: Date, emergency = false) =>
    seasonProblems(plan({ window: { startsAt, endsAt: days(60) }, emergency })).filter((p) => p.includes('days ahead'));

  it.each([
    ['30 days ahead', days(30), 0],
    ['29 days 23 h ahead', days(30, -3_600_000), 1],
    ['a day ahead', days(1), 1],
    ['a day ahead, declared emergency', days(1), 0],
  ] as const)('planning: %s -> %i problem(s)', (_label, startsAt, n) => {
    expect(lead(startsAt, _label.includes('emergency'))).toHaveLength(n);
  });

  it('says how far ahead it is and which date would do', () => {
    expect(lead(days(30, -3_600_000))[0]).toBe('a season is planned at least 30 days ahead (§52); this one starts 29 days 23 h from today: start on 2026-12-11 or later, or declare type=emergency');
  });

  it('an emergency cannot start before today nor be over already', () => {
    expect(seasonProblems(plan({ emergency: true, window: { startsAt: days(-1), endsAt: days(3) } }))).toEqual(['a season cannot start before today']);
    expect(seasonProblems(plan({ emergency: true, window: { startsAt: days(0), endsAt: at('2026-11-11T15:00:00Z') } }))).toEqual(['the season would already be over']);
  });

  const promo = (after: PolicyRules, startsAt = at('2027-01-10T05:00:00Z'), endsAt = at('2027-01-17T05:00:00Z')) =>
    seasonProblems(plan({ promotion: true, after, window: { startsAt, endsAt } }));

  it.each([
    ['high 5 -> 4: 20% off', withBase(4), []],
    ['high 5 -> 3.9995: 20.01% off', withBase(3.9995), ['high complexity, enterprise: 5 -> 3.9995 is 20.01% off; a promotion is at most 20% off (§52)']],
    ['floor $0.50 -> $0.40: 20% off', { ...flat, price_floor_usd: 0.4 }, []],
    ['floor $0.50 -> $0.39995: 20.01% off', { ...flat, price_floor_usd: 0.39995 }, ['the price floor: 0.5 -> 0.39995 is 20.01% off; a promotion is at most 20% off (§52)']],
  ] as const)('a promotion: %s', (_label, after, expected) => {
    // One problem per segment for a base markup cut: compare the first, and that no other kind crept in.
    const problems = promo(after);
    expect(problems.slice(0, 1)).toEqual(expected);
    expect(problems.every((p) => p.includes('% off'))).toBe(true);
  });

  it('measures the cut on the markup a quote carries (base + segment), so a segment already below base is protected', () => {
    // Base high 5 -> 4.2 is 16% off, but a startup quote at 5 - 1 = 4 drops to 3.2: 20% exactly; 4.19 makes it 20.25%.
    const seeded = seedCatalog.policyFile.rules;
    const at42 = { ...seeded, base_markup: { ...seeded.base_markup, high: 4.2 } };
    const at419 = { ...seeded, base_markup: { ...seeded.base_markup, high: 4.19 } };
    expect(seasonProblems(plan({ promotion: true, before: seeded, after: at42, window: { startsAt: at('2027-01-10T05:00:00Z'), endsAt: at('2027-01-17T05:00:00Z') } }))).toEqual([]);
    expect(seasonProblems(plan({ promotion: true, before: seeded, after: at419, window: { startsAt: at('2027-01-10T05:00:00Z'), endsAt: at('2027-01-17T05:00:00Z') } }))).toEqual([
      'high complexity, startup: 4 -> 3.19 is 20.25% off; a promotion is at most 20% off (§52)',
    ]);
  });

  it.each([
    ['7 days', at('2027-01-17T05:00:00Z'), []],
    ['7 days + 1 minute', at('2027-01-17T05:01:00Z'), ['a promotion lasts at most 7 days (§52); this one lasts 7 days 0 h 1 min']],
    ['8 days', at('2027-01-18T05:00:00Z'), ['a promotion lasts at most 7 days (§52); this one lasts 8 days']],
  ] as const)('a promotion lasting %s', (_label, endsAt, expected) => {
    expect(promo(withBase(4.5), at('2027-01-10T05:00:00Z'), endsAt)).toEqual(expected);
  });

  it('counts 7 local days as 7 across a DST change (a 169-hour week)', () => {
    const start = at('2026-10-28T04:00:00Z');
    const end = at('2026-11-04T05:00:00Z');
    expect(calendarDays(start, end, NY)).toBe(7);
    expect(seasonProblems(plan({ promotion: true, after: withBase(4.5), now: at('2026-09-01T14:00:00Z'), window: { startsAt: start, endsAt: end } }))).toEqual([]);
  });

  it.each([
    ['lowers a price without saying promotion=yes', plan({ after: withBase(4.5) }), /a season that lowers prices is a promotion; say promotion=yes/],
    ['a promotion that lowers nothing', plan({ promotion: true }), /a promotion lowers a price; this season lowers none/],
    ['takes a base markup below 2.5x, even as a promotion', plan({ promotion: true, before: { ...flat, base_markup: { ...flat.base_markup, low: 3 } }, after: { ...flat, base_markup: { ...flat.base_markup, low: 2.49 } }, window: { startsAt: at('2027-01-10T05:00:00Z'), endsAt: at('2027-01-12T05:00:00Z') } }), /base_markup\.low would be 2\.49x; never below 2\.5x/],
    ['moves a markup by more than 1.0x', plan({ after: withBase(6.01) }), /base_markup\.high moves by 1\.01x/],
  ] as const)('refuses a season that %s', (_label, p, message) => {
    expect(seasonProblems(p).join('\n')).toMatch(message);
  });

  it('finds the seasons a window overlaps; touching ends do not overlap', () => {
    const s = (id: string, from: string, to: string) => ({ id, startsAt: at(from), endsAt: at(to) });
    const seasons = [s('a', '2027-01-01T05:00:00Z', '2027-01-10T05:00:00Z'), s('b', '2027-02-01T05:00:00Z', '2027-02-08T05:00:00Z')];
    const window = (from: string, to: string) => ({ startsAt: at(from), endsAt: at(to) });
    expect(overlappingSeasons(seasons, window('2027-01-10T05:00:00Z', '2027-02-01T05:00:00Z'))).toEqual([]);
    expect(overlappingSeasons(seasons, window('2027-01-09T05:00:00Z', '2027-01-11T05:00:00Z')).map((x) => x.id)).toEqual(['a']);
    expect(overlappingSeasons(seasons, window('2026-12-01T05:00:00Z', '2027-03-01T05:00:00Z')).map((x) => x.id)).toEqual(['a', 'b']);
  });
});
