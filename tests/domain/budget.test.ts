import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { budgetStatus, costSpikes, expensiveTasks, projectEndOfDay, quoteDrift, signalsReached, sparkline } from '../../src/domain/budget.js';
import { usd } from '../../src/domain/money.js';

describe('budget levels (§56) against a $100 budget', () => {
  it.each([
    ['0', 'ok', false, 'standard', '0.00'],
    ['79.99', 'ok', false, 'standard', '79.99'],
    ['79.999999', 'ok', false, 'standard', '79.99'],
    ['80', 'warning', false, 'standard', '80.00'],
    ['94.99', 'warning', false, 'standard', '94.99'],
    ['95', 'warning', true, 'k2p5_only', '95.00'],
    ['99.99', 'warning', true, 'k2p5_only', '99.99'],
    ['100', 'critical', true, 'k2p5_only', '100.00'],
    ['250', 'critical', true, 'k2p5_only', '250.00'],
  ])('$%s spent -> %s, pause %s, %s, %s%%', (spent, level, pause, policy, pct) => {
    const s = budgetStatus(usd(spent), usd(100));
    expect(s.level).toBe(level);
    expect(s.pauseNonEssential).toBe(pause);
    expect(s.modelPolicy).toBe(policy);
    expect(s.utilizationPct.toFixed(2)).toBe(pct);
  });

  it('names the thresholds crossed, each a once-a-day signal', () => {
    expect(signalsReached(budgetStatus(usd(50), usd(100)))).toEqual([]);
    expect(signalsReached(budgetStatus(usd(96), usd(100)))).toEqual(['warning', 'pause']);
    expect(signalsReached(budgetStatus(usd(100), usd(100)))).toEqual(['warning', 'pause', 'critical']);
  });

  it('treats a zero budget as spent by any spend', () => {
    expect(budgetStatus(usd(0), usd(0)).level).toBe('ok');
    expect(budgetStatus(usd('0.01'), usd(0))).toMatchObject({ level: 'critical', pauseNonEssential: true });
  });
});

describe('projection, sparkline and flags', () => {
  it('carries spend forward at the day’s rate', () => {
    expect(projectEndOfDay(usd(10), 0.25).toFixed(2)).toBe('40.00');
    expect(projectEndOfDay(usd(10), 0).toFixed(2)).toBe('10.00');
  });
  it('draws one bar per hour scaled to the busiest hour', () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe('▁▁▂▄█');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
  });
  it('flags tasks over $0.50, spikes over 1.5x baseline, and drift over 10% from the quote', () => {
    expect(expensiveTasks([{ taskId: 'a', cost: usd('0.50') }, { taskId: 'b', cost: usd('0.51') }]).map((f) => f.kind === 'expensive_task' && f.taskId)).toEqual(['b']);
    expect(costSpikes([
      { taskType: 'x', todayAvg: usd('1.5'), baselineAvg: usd(1) },
      { taskType: 'y', todayAvg: usd('1.51'), baselineAvg: usd(1) },
      { taskType: 'z', todayAvg: usd(9), baselineAvg: null },
    ]).map((f) => f.kind === 'cost_spike' && f.taskType)).toEqual(['y']);
    const drift = quoteDrift([
      { taskId: 't1', quoteId: 'Q-1', actual: usd('1.10'), estimate: usd(1) },
      { taskId: 't2', quoteId: 'Q-2', actual: usd('0.889'), estimate: usd(1) },
    ]);
    expect(drift).toEqual([{ kind: 'quote_drift', taskId: 't2', quoteId: 'Q-2', actual: usd('0.889'), estimate: usd(1), driftPct: new Big('11.1') }]);
  });
});
