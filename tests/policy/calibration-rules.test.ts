import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { calibrate, marginSignal, winRateSignal, type CalibrationQuote } from '../../src/domain/calibration.js';
import type { DeliveryType, Segment } from '../../src/domain/pricing-types.js';
import { seedCatalog } from '../helpers/seed.js';

const rules = seedCatalog.policyFile.rules;

describe('§50 win-rate signal (won / won + lost), exact at each boundary', () => {
  it.each([
    [7000, 3000, 'none'], // 70%
    [7001, 2999, 'high'], // 70.01%
    [3000, 7000, 'none'], // 30%
    [2999, 7001, 'low'], // 29.99%
    [7, 3, 'none'],
    [8, 2, 'high'],
    [2, 8, 'low'],
    // Fewer than 10 verdicts: not enough data, whatever the rate.
    [9, 0, 'not_enough_data'],
    [0, 9, 'not_enough_data'],
    [10, 0, 'high'],
  ] as const)('%i won, %i lost -> %s', (won, lost, expected) => {
    expect(winRateSignal(won, lost)).toBe(expected);
  });
});

describe('§50 margin signal against the delivery type’s guardrail (task 55%)', () => {
  it.each([
    ['70', 10, 'none'], // target + 15
    ['70.01', 10, 'over'], // target + 15.01
    ['45', 10, 'none'], // target - 10
    ['44.99', 10, 'under'], // target - 10.01
    ['99', 9, 'not_enough_data'],
    ['20', 9, 'not_enough_data'],
  ] as const)('average %s%% over %i quotes -> %s', (avg, n, expected) => {
    expect(marginSignal(new Big(avg), new Big(55), n)).toBe(expected);
  });
});

const q = (segment: Segment, outcome: CalibrationQuote['outcome'], margin: string, price = '10', delivery: DeliveryType = 'task'): CalibrationQuote => ({
  segment, delivery, grossMarginPct: new Big(margin), finalPrice: new Big(price), outcome,
});
const many = (n: number, make: () => CalibrationQuote) => Array.from({ length: n }, make);

describe('calibrate', () => {
  it('reports each segment with quotes: counts, win rate, quoted vs accepted price, margin per delivery type against its target', () => {
    const quotes = [...many(8, () => q('smb', 'won', '60', '8')), ...many(2, () => q('smb', 'lost', '60', '12')), q('smb', null, '60', '10'), q('smb', null, '30', '10', 'subscription'), q('startup', 'lost', '60')];
    const [smb, startup, ...rest] = calibrate(quotes, rules);
    expect(rest).toEqual([]);
    expect(smb).toMatchObject({ segment: 'smb', quotes: 12, won: 8, lost: 2, winRatePct: 80, winRateEnough: true });
    expect(smb?.avgQuotedUsd?.toFixed(4)).toBe('9.0000'); // (64 + 24 + 20) / 12
    expect(smb?.avgAcceptedUsd?.toFixed(2)).toBe('8.00');
    expect(smb?.margins.map((m) => [m.delivery, m.quotes, m.avgMarginPct.toString(), m.targetPct.toString(), m.gapPoints.toString(), m.enough])).toEqual([
      ['subscription', 1, '30', '50', '-20', false],
      ['task', 11, '60', '55', '5', true],
    ]);
    expect(smb?.signals.map((s) => [s.kind, s.change])).toEqual([['win_rate_high', { path: 'segment_adjustment.smb', value: -0.25 }]]);
    expect(startup).toMatchObject({ quotes: 1, won: 0, lost: 1, winRatePct: 0, winRateEnough: false, avgAcceptedUsd: null, signals: [] });
  });

  it.each([
    ['win rate over 70%', many(8, () => q('startup', 'won', '60')).concat(many(2, () => q('startup', 'lost', '60'))), [['win_rate_high', 'segment_adjustment.startup', -0.75, 'up']]],
    ['win rate under 30%', many(2, () => q('startup', 'won', '60')).concat(many(8, () => q('startup', 'lost', '60'))), [['win_rate_low', 'segment_adjustment.startup', -1.25, 'down']]],
    ['margin over target + 15', many(10, () => q('enterprise', null, '70.01')), [['margin_over_target', 'segment_adjustment.enterprise', 0.25, 'down']]],
    ['margin under target - 10', many(10, () => q('enterprise', null, '44.99')), [['margin_under_target', 'margin_guardrail_pct.task', 60, 'up']]],
    ['margin at target + 15 and win rate at 70%', many(7, () => q('smb', 'won', '70')).concat(many(3, () => q('smb', 'lost', '70'))), []],
    // Winning most quotes at a fat margin: raise prices, never also "be more aggressive".
    ['win rate over 70% with margin over target + 15', many(10, () => q('smb', 'won', '90')), [['win_rate_high', 'segment_adjustment.smb', -0.25, 'up']]],
  ] as const)('%s suggests one variable: %j', (_label, quotes, expected) => {
    const signals = calibrate(quotes, rules).flatMap((c) => c.signals);
    expect(signals.map((s) => [s.kind, s.change.path, s.change.value, s.expectedMargin])).toEqual(expected);
  });
});
