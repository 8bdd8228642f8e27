import type { Platform } from '../domain/actor.js';
import type { Reply } from '../reply/reply.js';
import type { Db } from './open.js';
import { stmt } from './statements.js';

/**
 * 'alert' and 'post' render their alert's or subject's current state at delivery and record the
 * posted copy; 'alert_refresh' and 'post_refresh' update every copy in place; 'message' is fixed.
 */
export type OutboxKind = 'alert' | 'alert_refresh' | 'message' | 'post' | 'post_refresh';

export interface OutboxItem {
  id: number;
  platform: Platform;
  kind: OutboxKind;
  /** A channel id, or a user id for a direct message. */
  destination: string;
  alertId: number | null;
  /** What a 'post' or 'post_refresh' is about, e.g. "approval:12". */
  subject: string | null;
  payload: Reply | null;
  attempts: number;
  createdAt: Date;
}

interface OutboxRow {
  id: number;
  platform: Platform;
  kind: OutboxKind;
  destination: string;
  alert_id: number | null;
  subject: string | null;
  payload: string | null;
  attempts: number;
  created_at: string;
}

/** Queues a message. Call it inside the transaction that made the decision the message reports. */
export function enqueue(
  db: Db,
  m: { platform: Platform; kind: OutboxKind; destination: string; alertId?: number | null; subject?: string | null; payload?: Reply | null; at: Date; notBefore?: Date },
): number {
  return Number(
    stmt(
      db,
      'INSERT INTO outbox (created_at, platform, kind, destination, alert_id, subject, payload, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(m.at.toISOString(), m.platform, m.kind, m.destination, m.alertId ?? null, m.subject ?? null, m.payload ? JSON.stringify(m.payload) : null, (m.notBefore ?? m.at).toISOString())
      .lastInsertRowid,
  );
}

/**
 * What is due now on the given platforms, oldest first. Polled every second with a chat platform on,
 * so it must cost the same with a year of delivered rows as with none: it reads only the pending
 * rows through `outbox_due`. Without INDEXED BY, SQLite prefers walking the whole table in id order
 * to honour ORDER BY id ... LIMIT without a sort (measured: 0.07 -> 14 ms a poll with a year of
 * rows); the due set is small, so sorting it is the cheap side. The plan is pinned by a test.
 */
export function dueItems(db: Db, platforms: readonly Platform[], now: Date, limit = 50): OutboxItem[] {
  if (platforms.length === 0) return [];
  return (
    stmt<unknown[], OutboxRow>(
      db,
      `SELECT id, platform, kind, destination, alert_id, subject, payload, attempts, created_at FROM outbox INDEXED BY outbox_due
       WHERE status = 'pending' AND next_attempt_at <= ? AND platform IN (${platforms.map(() => '?').join(',')})
       ORDER BY id LIMIT ?`,
    ).all(now.toISOString(), ...platforms, limit)
  ).map((r) => ({
    id: r.id,
    platform: r.platform,
    kind: r.kind,
    destination: r.destination,
    alertId: r.alert_id,
    subject: r.subject,
    payload: r.payload ? (JSON.parse(r.payload) as Reply) : null,
    attempts: r.attempts,
    createdAt: new Date(r.created_at),
  }));
}

export function markDelivered(db: Db, id: number, at: Date): void {
  stmt(db, "UPDATE outbox SET status = 'delivered', delivered_at = ?, attempts = attempts + 1 WHERE id = ?").run(at.toISOString(), id);
}

export function markRetry(db: Db, id: number, next: Date, error: string, countAttempt: boolean): void {
  stmt(db, 'UPDATE outbox SET next_attempt_at = ?, last_error = ?, attempts = attempts + ? WHERE id = ?').run(
    next.toISOString(), error.slice(0, 500), countAttempt ? 1 : 0, id,
  );
}

export function markFailed(db: Db, id: number, error: string): void {
  stmt(db, "UPDATE outbox SET status = 'failed', last_error = ?, attempts = attempts + 1 WHERE id = ?").run(error.slice(0, 500), id);
}

/** True while an alert's first posting on a platform is still queued: its refresh must wait for it. */
export function hasPendingAlertPost(db: Db, alertId: number, platform: Platform): boolean {
  return (
    stmt<[number, string], { n: number }>(
      db,
      "SELECT COUNT(*) AS n FROM outbox WHERE alert_id = ? AND platform = ? AND kind = 'alert' AND status = 'pending'",
    ).get(alertId, platform)?.n !== 0
  );
}

/**
 * The platforms an alert was queued for. A delivered copy is also in alert_messages, which the
 * retention prune keeps, so an acknowledgement long after the outbox row was pruned still refreshes it.
 */
export function platformsWithAlert(db: Db, alertId: number): Platform[] {
  return stmt<[number, number], { platform: Platform }>(
    db,
    "SELECT platform FROM outbox WHERE alert_id = ? AND kind = 'alert' UNION SELECT platform FROM alert_messages WHERE alert_id = ?",
  )
    .all(alertId, alertId)
    .map((r) => r.platform);
}

/** Messages held overnight and released at or before `until` (shown in the morning triage); reads `outbox_held` only. */
export function heldOvernight(db: Db, since: Date, until: Date): number {
  return (
    stmt<[string, string], { n: number }>(
      db,
      'SELECT COUNT(*) AS n FROM outbox WHERE next_attempt_at > created_at AND created_at >= ? AND created_at < ?',
    ).get(since.toISOString(), until.toISOString())?.n ?? 0
  );
}

/** True while a subject's first post on a platform is still queued: its refresh must wait for it. */
export function hasPendingPost(db: Db, subject: string, platform: Platform): boolean {
  return (
    stmt<[string, string], { n: number }>(
      db,
      "SELECT COUNT(*) AS n FROM outbox WHERE subject = ? AND platform = ? AND kind = 'post' AND status = 'pending'",
    ).get(subject, platform)?.n !== 0
  );
}

/**
 * The platforms a subject was queued for, so a change refreshes every copy; delivered copies are
 * also in posted_messages, which outlives the pruned outbox rows.
 */
export function platformsWithPost(db: Db, subject: string): Platform[] {
  return stmt<[string, string], { platform: Platform }>(
    db,
    "SELECT platform FROM outbox WHERE subject = ? AND kind = 'post' UNION SELECT platform FROM posted_messages WHERE subject = ?",
  )
    .all(subject, subject)
    .map((r) => r.platform);
}

/** Queues a refresh of every copy of a subject, in the transaction of the change it shows. */
export function refreshPosts(db: Db, subject: string, at: Date): void {
  for (const platform of platformsWithPost(db, subject)) enqueue(db, { platform, kind: 'post_refresh', destination: '', subject, at });
}

export function recordPostedMessage(db: Db, m: { subject: string; platform: Platform; channel: string; ts: string }): void {
  stmt(db, 'INSERT OR REPLACE INTO posted_messages (subject, platform, channel, message_ts) VALUES (?, ?, ?, ?)').run(m.subject, m.platform, m.channel, m.ts);
}

export function postedMessages(db: Db, subject: string, platform: Platform): { channel: string; ts: string }[] {
  return stmt<[string, string], { channel: string; message_ts: string }>(
    db,
    'SELECT channel, message_ts FROM posted_messages WHERE subject = ? AND platform = ? ORDER BY channel',
  )
    .all(subject, platform)
    .map((r) => ({ channel: r.channel, ts: r.message_ts }));
}
