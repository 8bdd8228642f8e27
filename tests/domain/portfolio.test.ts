import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import {
  averageMarginPct, marginBySegment, marginSample, marginBySegmentAndDelivery, tallyAverageMarginPct, tallyMarginBySegment, tallyMarginBySegmentAndDelivery,
  type MarginSample, type MarginTally,
} from '../../src/domain/portfolio.js';
import { listQuotesBetween, quoteTallyBetween } from '../../src/store/quotes.js';
import { testBed } from '../helpers/context.js';
import { DASHBOARD_THRESHOLDS, dashboardLegend, dashboardLevel, qaBandLabels, qaMarginBand } from '../../src/domain/thresholds.js';

const sample = (segment: MarginSample['segment'], margin: string, delivery: MarginSample['delivery'] = 'task'): MarginSample => ({
  segment, delivery, grossMarginPct: new Big(margin),
});

describe('averageMarginPct: one definition for every surface', () => {
  it.each([
    { margins: [], avg: null },
    { margins: ['99.28'], avg: '99.28' },
    { margins: ['99.28', '53.00', '37.50'], avg: '63.26' },
    // 0.1 + 0.2 in floats is 0.30000000000000004; exact decimals are not.
    { margins: ['0.10', '0.20'], avg: '0.15' },
    // 74.3966... is shown rounded down, as every margin is: an average never overstates.
    { margins: ['73.91', '99.28', '50.00'], avg: '74.39' },
    { margins: ['55.00', '54.99'], avg: '54.99' },
  ])('$margins -> $avg', ({ margins, avg }) => {
    const result = averageMarginPct(margins.map((m) => sample('smb', m)));
    expect(result === null ? null : result.toFixed(2)).toBe(avg);
  });

  it('breaks down by segment in the policy’s order, and by segment and delivery type', () => {
    const samples = [sample('startup', '37.50'), sample('smb', '99.28'), sample('smb', '53.00'), sample('smb', '60.00', 'subscription'), sample('enterprise', '70.00')];
    expect(marginBySegment(samples).map((g) => [g.key, g.count, g.avgMarginPct.toFixed(2)])).toEqual([
      ['enterprise', 1, '70.00'], ['smb', 3, '70.76'], ['startup', 1, '37.50'],
    ]);
    expect(marginBySegmentAndDelivery(samples).map((g) => [`${g.key.segment}/${g.key.delivery}`, g.count, g.avgMarginPct.toFixed(2)])).toEqual([
      ['enterprise/task', 1, '70.00'], ['smb/subscription', 1, '60.00'], ['smb/task', 2, '76.14'], ['startup/task', 1, '37.50'],
    ]);
  });
});

describe('dashboard thresholds (§55) as data', () => {
  it.each([
    ['dailyMarginPct', 60, 'ok'], ['dailyMarginPct', 59.99, 'warning'], ['dailyMarginPct', 50, 'warning'], ['dailyMarginPct', 49.99, 'critical'],
    ['escalationRatePct', 25, 'ok'], ['escalationRatePct', 25.01, 'warning'], ['escalationRatePct', 40, 'warning'], ['escalationRatePct', 40.01, 'critical'],
    ['compliancePct', 80, 'ok'], ['compliancePct', 79.99, 'warning'], ['compliancePct', 67, 'warning'], ['compliancePct', 66.99, 'critical'],
  ] as const)('%s at %s is %s', (metric, value, level) => {
    expect(dashboardLevel(metric, value)).toBe(level);
    expect(dashboardLevel(metric, new Big(value))).toBe(level);
  });

  it('prints the legend from the same constants the levels use', () => {
    const legend = dashboardLegend();
    for (const t of Object.values(DASHBOARD_THRESHOLDS)) {
      expect(legend).toContain(`warning ${t.direction === 'below' ? '<' : '>'}${t.warning}%`);
      expect(legend).toContain(`critical ${t.direction === 'below' ? '<' : '>'}${t.critical}%`);
    }
    expect(legend).toContain('exception age warning ≥14 critical ≥30 days');
  });

  it.each([['44.99', 'critical'], ['45.00', 'warning'], ['54.99', 'warning'], ['55.00', 'healthy']] as const)('QA band of %s%% is %s', (m, band) => {
    expect(qaMarginBand(new Big(m))).toBe(band);
  });

  it('labels the QA bands from their bounds', () => {
    expect(qaBandLabels()).toEqual({ critical: '<45%', warning: '45-54.99%', healthy: '>=55%' });
  });
});

/** The tallies SQL would return for these samples: grouped, counted, margins summed in basis points. */
function tallyOf(samples: readonly MarginSample[], decisionOf: (i: number) => string = () => 'approved'): MarginTally[] {
  const groups = new Map<string, MarginTally>();
  samples.forEach((s, i) => {
    const decision = decisionOf(i);
    const id = `${s.segment}/${s.delivery}/${decision}`;
    const t = groups.get(id) ?? { segment: s.segment, delivery: s.delivery, decision, count: 0, sumMarginBp: 0 };
    t.count += 1;
    t.sumMarginBp += Number(s.grossMarginPct.times(100).toFixed(0));
    groups.set(id, t);
  });
  return [...groups.values()];
}

describe('tallies (sums from SQL) give the same figures as the quotes one by one', () => {
  const cases: [string, MarginSample[]][] = [
    ['no quotes', []],
    ['one quote', [sample('smb', '99.28')]],
    ['rounding down a repeating mean', [sample('smb', '73.91'), sample('smb', '99.28'), sample('smb', '50.00')]],
    ['just under a guardrail', [sample('smb', '55.00', 'subscription'), sample('smb', '54.99', 'subscription')]],
    ['negative margins and several groups', [sample('startup', '-12.50'), sample('enterprise', '45.01', 'enterprise'), sample('smb', '0.01'), sample('startup', '37.49', 'subscription'), sample('mid_market', '61.33')]],
    ['many quotes, odd counts', Array.from({ length: 2001 }, (_, i) => sample((['enterprise', 'mid_market', 'smb', 'startup'] as const)[i % 4] ?? 'smb', ((3000 + ((i * 37) % 5000)) / 100).toFixed(2), (['task', 'subscription', 'enterprise'] as const)[i % 3] ?? 'task'))],
  ];
  it.each(cases)('%s', (_, samples) => {
    // Decisions split a group's tally in SQL; the figures must not depend on that split.
    const tallies = tallyOf(samples, (i) => (i % 7 === 0 ? 'escalated' : 'approved'));
    const fix = (b: Big | null) => (b === null ? null : b.toFixed(2));
    expect(fix(tallyAverageMarginPct(tallies))).toBe(fix(averageMarginPct(samples)));
    const flat = (gs: { key: unknown; count: number; avgMarginPct: Big }[]) => gs.map((g) => [JSON.stringify(g.key), g.count, g.avgMarginPct.toFixed(2)]);
    expect(flat(tallyMarginBySegment(tallies))).toEqual(flat(marginBySegment(samples)));
    expect(flat(tallyMarginBySegmentAndDelivery(tallies))).toEqual(flat(marginBySegmentAndDelivery(samples)));
  });

  it('quoteTallyBetween over a real ledger equals the records one by one, inside the window only', async () => {
    const b = testBed({ now: new Date('2026-11-10T12:00:00Z') });
    await b.run('/quote k2p5 low smb 2000 800'); // before the window
    const lines = ['k2p5 medium smb 2000 800', 'sonnet high enterprise 100000 50000 discount=10', 'opus low startup 5000 5000 discount=60', 'k2p5 high mid_market 2000 800 delivery=subscription', 'sonnet medium smb 100000 100000 discount=25'];
    for (const [i, line] of lines.entries()) {
      b.setNow(new Date(Date.UTC(2026, 10, 14 + i, 12)));
      expect((await b.run(`/quote ${line}`)).error).toBeUndefined();
    }
    const from = new Date('2026-11-13T12:00:00Z');
    const to = new Date('2026-11-20T12:00:00Z');
    const tallies = quoteTallyBetween(b.db, from, to);
    const samples = listQuotesBetween(b.db, from, to).map(marginSample);
    expect(samples).toHaveLength(lines.length);
    expect(tallies.reduce((n, t) => n + t.count, 0)).toBe(lines.length);
    expect(tallyAverageMarginPct(tallies)?.toFixed(2)).toBe(averageMarginPct(samples)?.toFixed(2));
    const flat = (gs: { key: unknown; count: number; avgMarginPct: Big }[]) => gs.map((g) => [JSON.stringify(g.key), g.count, g.avgMarginPct.toFixed(2)]);
    expect(flat(tallyMarginBySegmentAndDelivery(tallies))).toEqual(flat(marginBySegmentAndDelivery(samples)));
    expect(quoteTallyBetween(b.db, to, new Date('2026-11-27T12:00:00Z'))).toEqual([]);
  });

});
