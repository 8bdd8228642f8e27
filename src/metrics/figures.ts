import { backupStatus } from '../backup/status.js';
import { budgetNow, today } from '../budget/snapshot.js';
import type { Services } from '../core/services.js';
import { unacknowledgedAlerts } from '../store/alerts.js';
import { openQuestions } from '../store/community.js';
import { stmt } from '../store/statements.js';

/** What one scrape reports, read from the database at scrape time: it is the source of truth. */
export interface Figures {
  quotesByDecision: Record<string, number>;
  unacknowledgedAlerts: Record<string, number>;
  outboxPending: number;
  outboxOldestPendingAgeSeconds: number;
  budgetUtilizationRatio: number;
  budgetLevel: string;
  scheduleLastSuccess: Record<string, number | null>;
  helpQuestionsOpen: number;
  backupLastGoodSeconds: number | null;
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

export function readFigures(services: Pick<Services, 'db' | 'config'>, jobs: readonly string[], now: Date): Figures {
  const { db } = services;
  // Today's, not all time: one range of the covering index quotes_tally, the same cost after a year.
  const day = today(now, services.config.timezone);
  const quotes = stmt<[string, string], { decision: string; n: number }>(
    db,
    'SELECT decision, COUNT(*) AS n FROM quotes WHERE created_at >= ? AND created_at < ? GROUP BY decision',
  ).all(day.from.toISOString(), day.to.toISOString());
  const alerts: Record<string, number> = { warning: 0, critical: 0 };
  for (const a of unacknowledgedAlerts(db)) alerts[a.level] = (alerts[a.level] ?? 0) + 1;
  const outbox = stmt<[], { n: number; oldest: string | null }>(db, "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE status = 'pending'").get() ?? { n: 0, oldest: null };
  const { status } = budgetNow(db, services.config, now);
  const lastPosted = (job: string) => stmt<[string], { at: string | null }>(db, "SELECT MAX(finished_at) AS at FROM schedule_runs WHERE job = ? AND status = 'posted'").get(job)?.at ?? null;
  const backup = backupStatus(db);
  return {
    quotesByDecision: Object.fromEntries(quotes.map((q) => [q.decision, q.n])),
    unacknowledgedAlerts: alerts,
    outboxPending: outbox.n,
    outboxOldestPendingAgeSeconds: outbox.oldest ? Math.max(0, now.getTime() / 1000 - seconds(outbox.oldest)) : 0,
    budgetUtilizationRatio: Number(status.utilizationPct) / 100,
    budgetLevel: status.level,
    scheduleLastSuccess: Object.fromEntries(jobs.map((j) => {
      const at = lastPosted(j);
      return [j, at ? seconds(at) : null];
    })),
    helpQuestionsOpen: openQuestions(db).length,
    backupLastGoodSeconds: backup.lastGoodAt ? seconds(backup.lastGoodAt) : null,
  };
}
