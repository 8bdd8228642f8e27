import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { averageMarginPct, marginBySegment, marginBySegmentAndDelivery, type MarginSample } from '../../src/domain/portfolio.js';
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
