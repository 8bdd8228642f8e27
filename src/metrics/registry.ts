import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Services } from '../core/services.js';
import { readFigures } from './figures.js';

export const BUDGET_LEVELS = ['ok', 'warning', 'critical'] as const;
const DECISIONS = ['approved', 'approved_with_conditions', 'escalated'] as const;

/**
 * The Prometheus registry behind GET /metrics. Every business series is set from the database at
 * scrape time (one read each, indexed), so a restart loses nothing and two processes agree; the
 * process series are prom-client's defaults (memory, CPU, event-loop lag, handles).
 */
export function createMetrics(services: Pick<Services, 'db' | 'config' | 'clock'>, jobs: readonly string[]) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'j1msky_' });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
    new Gauge<L>({ name, help, labelNames: [...labelNames], registers: [registry] });
  const quotes = gauge('j1msky_quotes_today', 'Quotes recorded today (OPS_TIMEZONE), by pricing decision.', ['decision']);
  const alerts = gauge('j1msky_alerts_unacknowledged', 'Exception alerts waiting for an acknowledgement, by level.', ['level']);
  const outboxDepth = gauge('j1msky_outbox_pending', 'Messages queued for chat and not yet delivered.');
  const outboxAge = gauge('j1msky_outbox_oldest_pending_age_seconds', 'Age of the oldest undelivered message (0 when none).');
  const budget = gauge('j1msky_budget_utilization_ratio', "Today's AI spend over the daily budget (0.8 warning, 0.95 pause, 1 critical).");
  const level = gauge('j1msky_budget_level', "Today's budget level: 1 for the current one of ok, warning, critical.", ['level']);
  const schedule = gauge('j1msky_schedule_last_success_timestamp_seconds', 'When each scheduled post last posted (unix seconds); absent until it has.', ['job']);
  const help = gauge('j1msky_help_questions_open', 'Help-channel questions still open.');
  const backup = gauge('j1msky_backup_last_success_timestamp_seconds', 'When the last good backup finished (unix seconds); NaN until one has.');

  return {
    registry,
    async scrape(): Promise<string> {
      const f = readFigures(services, jobs, services.clock());
      quotes.reset();
      for (const d of DECISIONS) quotes.set({ decision: d }, f.quotesByDecision[d] ?? 0);
      alerts.reset();
      for (const [l, n] of Object.entries(f.unacknowledgedAlerts)) alerts.set({ level: l }, n);
      outboxDepth.set(f.outboxPending);
      outboxAge.set(f.outboxOldestPendingAgeSeconds);
      budget.set(f.budgetUtilizationRatio);
      for (const l of BUDGET_LEVELS) level.set({ level: l }, f.budgetLevel === l ? 1 : 0);
      schedule.reset();
      for (const [job, at] of Object.entries(f.scheduleLastSuccess)) if (at !== null) schedule.set({ job }, at);
      help.set(f.helpQuestionsOpen);
      // NaN, not 0, before the first backup: 0 would read as a backup taken in 1970.
      backup.set(f.backupLastGoodSeconds ?? Number.NaN);
      return registry.metrics();
    },
  };
}
