import Big from 'big.js';
import { AGING_RISK_DAYS, CRITICAL_AGE_DAYS } from './exception-risk.js';

/**
 * Playbook §55's dashboard thresholds. The levels the posts print and the legend under them both
 * read these, so a changed threshold changes the verdict and its explanation together.
 */
export const DASHBOARD_THRESHOLDS = {
  /** The day's average margin: a warning below 60%, critical below 50%. */
  dailyMarginPct: { direction: 'below', warning: 60, critical: 50 },
  escalationRatePct: { direction: 'above', warning: 25, critical: 40 },
  compliancePct: { direction: 'below', warning: 80, critical: 67 },
} as const;

export type DashboardMetric = keyof typeof DASHBOARD_THRESHOLDS;
export type DashboardLevel = 'ok' | 'warning' | 'critical';

export function dashboardLevel(metric: DashboardMetric, value: Big | number): DashboardLevel {
  const t = DASHBOARD_THRESHOLDS[metric];
  const v = new Big(value);
  const beyond = (limit: number) => (t.direction === 'below' ? v.lt(limit) : v.gt(limit));
  return beyond(t.critical) ? 'critical' : beyond(t.warning) ? 'warning' : 'ok';
}

const bound = (metric: DashboardMetric, level: 'warning' | 'critical') => {
  const t = DASHBOARD_THRESHOLDS[metric];
  return `${t.direction === 'below' ? '<' : '>'}${t[level]}%`;
};

/**
 * The legend shown under every post with these figures. Exception age is the registry's own rule
 * (§43: aging-risk from 14 days, critical from 30), so the legend says what the bot does.
 */
export function dashboardLegend(): string {
  return [
    `Thresholds: daily margin warning ${bound('dailyMarginPct', 'warning')} critical ${bound('dailyMarginPct', 'critical')}`,
    `exception age warning ≥${AGING_RISK_DAYS} critical ≥${CRITICAL_AGE_DAYS} days`,
    `escalation rate warning ${bound('escalationRatePct', 'warning')} critical ${bound('escalationRatePct', 'critical')}`,
    `portfolio compliance warning ${bound('compliancePct', 'warning')} critical ${bound('compliancePct', 'critical')}`,
  ].join(' · ');
}

/** Playbook §34: the nightly QA's margin bands (critical below 45%, warning below 55%). */
export const QA_MARGIN_BANDS = { criticalBelowPct: 45, warningBelowPct: 55 } as const;
export type MarginBand = 'critical' | 'warning' | 'healthy';

export function qaMarginBand(margin: Big): MarginBand {
  return margin.lt(QA_MARGIN_BANDS.criticalBelowPct) ? 'critical' : margin.lt(QA_MARGIN_BANDS.warningBelowPct) ? 'warning' : 'healthy';
}

/** The bands as the QA post labels them: "<45%", "45-54.99%", ">=55%". */
export function qaBandLabels(): Record<MarginBand, string> {
  const { criticalBelowPct: c, warningBelowPct: w } = QA_MARGIN_BANDS;
  return { critical: `<${c}%`, warning: `${c}-${new Big(w).minus('0.01').toFixed(2)}%`, healthy: `>=${w}%` };
}
