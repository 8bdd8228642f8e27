import type { ScheduleContext } from '../core/schedule.js';
import { dayRange, localDate } from '../domain/calendar.js';

/** Playbook §55 dashboard thresholds, shown wherever the figures appear. */
export const DASHBOARD_THRESHOLDS =
  'Thresholds: daily margin warning <60% critical <50% · exception age warning >14 critical >30 days · escalation rate warning >25% critical >40% · portfolio compliance warning <80% critical <67%';

export function todayRange(ctx: ScheduleContext): { from: Date; to: Date; date: string } {
  const date = localDate(ctx.slot, ctx.config.timezone);
  const range = dayRange(date, ctx.config.timezone);
  if (!range) throw new Error(`no day range for ${date}`);
  return { ...range, date };
}

export function level(value: number, warning: (v: number) => boolean, critical: (v: number) => boolean): string {
  return critical(value) ? '🔴 critical' : warning(value) ? '🟠 warning' : '🟢 ok';
}

export const marginLevel = (pct: number) => level(pct, (v) => v < 60, (v) => v < 50);
export const escalationLevel = (pct: number) => level(pct, (v) => v > 25, (v) => v > 40);
export const complianceLevel = (pct: number) => level(pct, (v) => v < 80, (v) => v < 67);

export function pct(n: number, of: number): number {
  return of === 0 ? 0 : Math.round((n * 10_000) / of) / 100;
}
