import type { Db } from './open.js';
import { stmt } from './statements.js';

const DAY_MS = 86_400_000;

/**
 * How long each growing log is kept (README "Retention"). Everything else is the ledger and kept:
 * quotes and their history, exceptions, alerts and where they were posted (alert_messages,
 * posted_messages: an acknowledgement months later still updates the copy), proposals, approvals,
 * usage events (the budget's history), schedule runs, and domain_events (a few a week, and the
 * webhook publisher of issue 15 reads them by cursor: a prune must never overtake it).
 */
export const RETENTION_DAYS = {
  /** A delivered message's row and payload, counted from delivery: long enough to answer "was it sent?". */
  deliveredOutbox: 30,
  /** A message given up on after repeated failures, counted from when it was queued: kept to diagnose. */
  failedOutbox: 90,
  /** Failed commands: /budget reads the last hour for the quote error rate. */
  commandFailures: 30,
  /**
   * Idempotency keys, from first use. Slack retries within minutes, a Discord interaction lives 15
   * minutes, HTTP clients retry within a day; past this, the ledger row that carries the same key
   * still answers a retry, but a reused key with a different request is no longer refused.
   */
  requestKeys: 30,
} as const;

/** Rows deleted per table per call: a few milliseconds of write lock, so a person's request never waits long behind it. */
export const PRUNE_BATCH = 500;

export type PruneResult = Record<keyof typeof RETENTION_DAYS, number>;

const cutoff = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();

/**
 * Deletes at most `batch` expired rows from each log, oldest first, each table in its own short
 * statement (its own transaction). Called on every clock tick, so a year of backlog drains in small
 * steps instead of one long lock. A pending outbox row is never touched, whatever its age.
 */
export function pruneHistory(db: Db, now: Date, batch = PRUNE_BATCH): PruneResult {
  const run = (sql: string, days: number) => stmt<[string, number]>(db, sql).run(cutoff(now, days), batch).changes;
  return {
    deliveredOutbox: run(
      "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status = 'delivered' AND delivered_at < ? ORDER BY delivered_at LIMIT ?)",
      RETENTION_DAYS.deliveredOutbox,
    ),
    failedOutbox: run(
      "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status = 'failed' AND created_at < ? ORDER BY created_at LIMIT ?)",
      RETENTION_DAYS.failedOutbox,
    ),
    commandFailures: run(
      'DELETE FROM command_failures WHERE id IN (SELECT id FROM command_failures WHERE at < ? ORDER BY at LIMIT ?)',
      RETENTION_DAYS.commandFailures,
    ),
    requestKeys: run(
      'DELETE FROM request_keys WHERE key IN (SELECT key FROM request_keys WHERE first_seen_at < ? ORDER BY first_seen_at LIMIT ?)',
      RETENTION_DAYS.requestKeys,
    ),
  };
}
