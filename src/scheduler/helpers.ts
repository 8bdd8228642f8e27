import type Big from 'big.js';
import type { ScheduleContext } from '../core/schedule.js';
import { dayRange, localDate } from '../domain/calendar.js';
import { dashboardLegend, dashboardLevel, type DashboardLevel, type DashboardMetric } from '../domain/thresholds.js';

/** Playbook §55 dashboard thresholds, shown wherever the figures appear; built from the rule's constants. */
export const DASHBOARD_THRESHOLDS = dashboardLegend();

export function todayRange(ctx: ScheduleContext): { from: Date; to: Date; date: string } {
  const date = localDate(ctx.slot, ctx.config.timezone);
  const range = dayRange(date, ctx.config.timezone);
  if (!range) throw new Error(`no day range for ${date}`);
  return { ...range, date };
}

const LEVEL_LABEL: Record<DashboardLevel, string> = { critical: '🔴 critical', warning: '🟠 warning', ok: '🟢 ok' };

const levelOf = (metric: DashboardMetric) => (value: number | Big) => LEVEL_LABEL[dashboardLevel(metric, value)];

export const marginLevel = levelOf('dailyMarginPct');
export const escalationLevel = levelOf('escalationRatePct');
export const complianceLevel = levelOf('compliancePct');

export function pct(n: number, of: number): number {
  return of === 0 ? 0 : Math.round((n * 10_000) / of) / 100;
}
