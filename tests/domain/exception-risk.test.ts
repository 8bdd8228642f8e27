import { describe, expect, it } from 'vitest';
import { ackDeadline, isOverdue, mayAcknowledge, recipientsFor, ROUTE_BY_LEVEL } from '../../src/domain/alert-routing.js';
import { ageDays, agingBand, alertLine, exceptionRiskLevel, recoveryStatus, registryRisk } from '../../src/domain/exception-risk.js';

describe('aging bands (§41)', () => {
  it.each([
    [0, '0-7'], [7, '0-7'], [8, '8-14'], [14, '8-14'], [15, '15-30'], [30, '15-30'], [31, '31+'], [400, '31+'],
  ])('day %i is in band %s', (days, band) => {
    expect(agingBand(days)).toBe(band);
  });
});

describe('age in days, in the ops time zone', () => {
  it('counts calendar days where the team lives, not 24-hour periods in UTC', () => {
    // Approved 23:30 New York time on Nov 1 (04:30 UTC Nov 2); at 00:30 New York on Nov 2 it is 1 day old.
    expect(ageDays(new Date('2026-11-02T04:30:00Z'), new Date('2026-11-02T05:30:00Z'), 'America/New_York')).toBe(1);
    expect(ageDays(new Date('2026-11-02T04:30:00Z'), new Date('2026-11-02T05:30:00Z'), 'UTC')).toBe(0);
  });
  it('is not thrown by a daylight-saving change (New York falls back on Nov 1, 2026)', () => {
    expect(ageDays(new Date('2026-10-31T16:00:00Z'), new Date('2026-11-14T16:00:00Z'), 'America/New_York')).toBe(14);
  });
});

describe('one exception’s level', () => {
  it.each([
    [0, 'ok'], [13, 'ok'], [14, 'warning'], [29, 'warning'], [30, 'critical'], [45, 'critical'],
  ])('day %i -> %s', (days, level) => {
    expect(exceptionRiskLevel(days)).toBe(level);
  });
});

describe('the registry’s level and next action (§43)', () => {
  it.each([
    { ages: [], level: 'none', action: 'no_action', agingRisk: 0 },
    { ages: [0, 7, 13], level: 'ok', action: 'continue_recovery_plan', agingRisk: 0 },
    { ages: [14, 3], level: 'warning', action: 'manager_followup', agingRisk: 1 },
    { ages: [29], level: 'warning', action: 'manager_followup', agingRisk: 1 },
    { ages: [30], level: 'critical', action: 'schedule_executive_review', agingRisk: 1 },
    { ages: [14, 14], level: 'critical', action: 'schedule_executive_review', agingRisk: 2 },
    { ages: [13, 13, 2], level: 'ok', action: 'continue_recovery_plan', agingRisk: 0 },
  ])('$ages -> $level / $action', ({ ages, level, action, agingRisk }) => {
    const risk = registryRisk(ages);
    expect(risk.level).toBe(level);
    expect(risk.recommendedAction).toBe(action);
    expect(risk.agingRiskCount).toBe(agingRisk);
    expect(risk.openCount).toBe(ages.length);
    expect(risk.oldestAgeDays).toBe(ages.length ? Math.max(...ages) : 0);
  });
});

describe('recovery SLA (§41)', () => {
  it.each([
    [13, false, 'on_track'], [14, false, 'flag_repricing'], [29, false, 'flag_repricing'], [30, false, 'executive_review'], [30, true, 'on_track'],
  ] as const)('day %i, progress %s -> %s', (days, progress, status) => {
    expect(recoveryStatus(days, progress)).toBe(status);
  });
});

describe('routing (§44)', () => {
  it('sends each level where the playbook says', () => {
    expect(ROUTE_BY_LEVEL).toEqual({ none: 'none', ok: 'digest', warning: 'notify', critical: 'page' });
    expect(recipientsFor('none').channels).toEqual([]);
    expect(recipientsFor('ok')).toMatchObject({ channels: [], acknowledgeable: false });
    expect(recipientsFor('warning')).toMatchObject({ channels: ['ops'], people: ['revenue_manager', 'quote_owner'], acknowledgeable: true, escalatesWithoutAck: false });
    expect(recipientsFor('critical')).toMatchObject({ people: ['executive_sponsor'], escalatesWithoutAck: true, addToReviewAgenda: true });
  });

  it('lets only managers and executives acknowledge', () => {
    expect(['sales_rep', 'revenue_manager', 'executive', 'pricing_admin'].map(mayAcknowledge)).toEqual([false, true, true, false]);
  });

  it('escalates exactly at the deadline, not a millisecond before', () => {
    const deadline = ackDeadline(new Date('2026-11-22T12:30:00Z'), 30);
    expect(deadline.toISOString()).toBe('2026-11-22T13:00:00.000Z');
    expect(isOverdue(deadline, new Date('2026-11-22T12:59:59.999Z'))).toBe(false);
    expect(isOverdue(deadline, new Date('2026-11-22T13:00:00.000Z'))).toBe(true);
  });

  it('writes the alert line in the playbook’s template exactly', () => {
    expect(alertLine('warning', 'EX-00001 Acme Corp (smb) is 14 days old', 'manager_followup')).toBe(
      '[Exception Risk: warning] EX-00001 Acme Corp (smb) is 14 days old | Next action: manager_followup',
    );
  });
});
