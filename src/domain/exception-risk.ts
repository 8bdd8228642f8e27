import { localDayNumber } from './calendar.js';
import type { QUESTION_NEXT_ACTION } from './community.js';

/** Playbook §41: what each age band of an open exception demands. */
export const AGING_BANDS = [
  { band: '0-7', upToDays: 7, expectation: 'owner executes the recovery plan' },
  { band: '8-14', upToDays: 14, expectation: 'manager review required' },
  { band: '15-30', upToDays: 30, expectation: 'leadership visibility in the weekly review' },
  { band: '31+', upToDays: Number.POSITIVE_INFINITY, expectation: 'mandatory re-approval or retirement' },
] as const;
export type AgingBand = (typeof AGING_BANDS)[number]['band'];

export const RISK_LEVELS = ['none', 'ok', 'warning', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Playbook §43: the standard next action for each level. */
export const NEXT_ACTION = {
  none: 'no_action',
  ok: 'continue_recovery_plan',
  warning: 'manager_followup',
  critical: 'schedule_executive_review',
} as const satisfies Record<RiskLevel, string>;
export type NextAction = (typeof NEXT_ACTION)[RiskLevel] | (typeof QUESTION_NEXT_ACTION)[keyof typeof QUESTION_NEXT_ACTION];

/** An exception this old is "aging-risk" (§43). */
export const AGING_RISK_DAYS = 14;
/** The oldest exception at this age makes the registry critical (§43). */
export const CRITICAL_AGE_DAYS = 30;
/** Two or more aging-risk exceptions make the registry critical (§43). */
export const CRITICAL_AGING_RISK_COUNT = 2;

export const riskRank = (level: RiskLevel): number => RISK_LEVELS.indexOf(level);

/** Whole calendar days from approval to now, both taken as dates in the ops time zone. */
export function ageDays(approvedAt: Date, now: Date, timezone: string): number {
  return Math.max(0, localDayNumber(now, timezone) - localDayNumber(approvedAt, timezone));
}

/** Every exception's age as of one `now`, in the list's order: a view works them out once, not per use. */
export function agesAt(approvedAts: readonly Date[], now: Date, timezone: string): number[] {
  const today = localDayNumber(now, timezone);
  return approvedAts.map((a) => Math.max(0, today - localDayNumber(a, timezone)));
}

export function agingBand(days: number): AgingBand {
  return (AGING_BANDS.find((b) => days <= b.upToDays) ?? AGING_BANDS[3]).band;
}

/** One exception's own level: warning once aging-risk, critical from 30 days. */
export function exceptionRiskLevel(days: number): Exclude<RiskLevel, 'none'> {
  if (days >= CRITICAL_AGE_DAYS) return 'critical';
  if (days >= AGING_RISK_DAYS) return 'warning';
  return 'ok';
}

export interface RegistryRisk {
  level: RiskLevel;
  recommendedAction: NextAction;
  openCount: number;
  oldestAgeDays: number;
  agingRiskCount: number;
}

/** The whole registry's level (§43), from the ages of the open exceptions. */
export function registryRisk(ages: readonly number[]): RegistryRisk {
  const openCount = ages.length;
  const oldestAgeDays = openCount ? Math.max(...ages) : 0;
  const agingRiskCount = ages.filter((d) => d >= AGING_RISK_DAYS).length;
  const level: RiskLevel =
    openCount === 0
      ? 'none'
      : oldestAgeDays >= CRITICAL_AGE_DAYS || agingRiskCount >= CRITICAL_AGING_RISK_COUNT
        ? 'critical'
        : agingRiskCount >= 1
          ? 'warning'
          : 'ok';
  return { level, recommendedAction: NEXT_ACTION[level], openCount, oldestAgeDays, agingRiskCount };
}

export type RecoveryStatus = 'on_track' | 'flag_repricing' | 'executive_review';

/**
 * Recovery SLA (§41): progress must show within 14 days. None by day 14 flags the deal for
 * repricing; none by day 30 escalates it to executive review.
 */
export function recoveryStatus(days: number, hasProgress: boolean): RecoveryStatus {
  if (hasProgress) return 'on_track';
  if (days >= CRITICAL_AGE_DAYS) return 'executive_review';
  if (days >= AGING_RISK_DAYS) return 'flag_repricing';
  return 'on_track';
}

/** The playbook's alert line (§44), exactly; the community's help queue uses it under its own topic. */
export function alertLine(level: RiskLevel, summary: string, action: NextAction, topic = 'Exception Risk'): string {
  return `[${topic}: ${level}] ${summary} | Next action: ${action}`;
}
