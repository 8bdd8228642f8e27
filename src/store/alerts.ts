import type { Platform } from '../domain/actor.js';
import { alertLine, type NextAction, type RiskLevel } from '../domain/exception-risk.js';
import type { Db } from './open.js';
import { stmt } from './statements.js';

export interface AlertRecord {
  id: number;
  scope: string;
  exceptionSeq: number | null;
  level: Exclude<RiskLevel, 'none'>;
  summary: string;
  recommendedAction: string;
  raisedAt: Date;
  ackDeadline: Date | null;
  acknowledgedAt: Date | null;
  ackUserName: string | null;
  ackPlatform: Platform | null;
  escalatedAt: Date | null;
  /** When the alert's cause ended on its own (its question was answered), and how. */
  resolvedAt: Date | null;
  resolution: string | null;
}

interface AlertRow {
  id: number;
  scope: string;
  exception_seq: number | null;
  level: AlertRecord['level'];
  summary: string;
  recommended_action: string;
  raised_at: string;
  ack_deadline: string | null;
  acknowledged_at: string | null;
  ack_user_name: string | null;
  ack_platform: Platform | null;
  escalated_at: string | null;
  resolved_at: string | null;
  resolution: string | null;
}

const date = (s: string | null) => (s ? new Date(s) : null);

function fromRow(r: AlertRow): AlertRecord {
  return {
    id: r.id,
    scope: r.scope,
    exceptionSeq: r.exception_seq,
    level: r.level,
    summary: r.summary,
    recommendedAction: r.recommended_action,
    raisedAt: new Date(r.raised_at),
    ackDeadline: date(r.ack_deadline),
    acknowledgedAt: date(r.acknowledged_at),
    ackUserName: r.ack_user_name,
    ackPlatform: r.ack_platform,
    escalatedAt: date(r.escalated_at),
    resolvedAt: date(r.resolved_at),
    resolution: r.resolution,
  };
}

export const exceptionScope = (seq: number) => `exception:${seq}`;
export const REGISTRY_SCOPE = 'registry';
export const communityScope = (questionSeq: number) => `community:${questionSeq}`;
export const isCommunityScope = (scope: string) => scope.startsWith('community:');
/** The help-channel question an alert is about, if it is about one. */
export const questionSeqOfScope = (scope: string) => (isCommunityScope(scope) ? Number(scope.slice('community:'.length)) : null);

/** An alert's one line, under the topic its scope belongs to. */
export function alertHeadline(alert: Pick<AlertRecord, 'scope' | 'level' | 'summary' | 'recommendedAction'>): string {
  return alertLine(alert.level, alert.summary, alert.recommendedAction as NextAction, isCommunityScope(alert.scope) ? 'Community SLA' : 'Exception Risk');
}

/** Raises an alert once: a second raise of the same scope, level and episode returns null. */
export function raiseAlert(
  db: Db,
  a: { scope: string; exceptionSeq: number | null; level: AlertRecord['level']; episode: number; summary: string; recommendedAction: string; raisedAt: Date; ackDeadline: Date | null },
): AlertRecord | null {
  const row = stmt<unknown[], AlertRow>(
    db,
    `INSERT INTO alerts (scope, exception_seq, level, episode, summary, recommended_action, raised_at, ack_deadline)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scope, level, episode) DO NOTHING RETURNING *`,
  ).get(a.scope, a.exceptionSeq, a.level, a.episode, a.summary, a.recommendedAction, a.raisedAt.toISOString(), a.ackDeadline?.toISOString() ?? null);
  return row ? fromRow(row) : null;
}

export function getAlert(db: Db, id: number): AlertRecord | null {
  const row = stmt<[number], AlertRow>(db, 'SELECT * FROM alerts WHERE id = ?').get(id);
  return row ? fromRow(row) : null;
}

export function alertsForScope(db: Db, scope: string): AlertRecord[] {
  return stmt<[string], AlertRow>(db, 'SELECT * FROM alerts WHERE scope = ? ORDER BY id').all(scope).map(fromRow);
}

/** Warning and critical alerts still waiting for a manager, oldest first: read through `alerts_unacknowledged`, never the year's alerts. */
export function unacknowledgedAlerts(db: Db): AlertRecord[] {
  return stmt<[], AlertRow>(db, "SELECT * FROM alerts WHERE acknowledged_at IS NULL AND resolved_at IS NULL AND level IN ('warning', 'critical') ORDER BY id")
    .all()
    .map(fromRow);
}

/**
 * Records an acknowledgement if, and only if, nobody has yet: double clicks, two managers at once
 * and retried requests all meet the same conditional update, and exactly one of them wins.
 */
export function acknowledgeAlert(db: Db, id: number, by: { userId: string; name: string; platform: Platform }, at: Date): boolean {
  return (
    stmt(
      db,
      'UPDATE alerts SET acknowledged_at = ?, ack_user_id = ?, ack_user_name = ?, ack_platform = ? WHERE id = ? AND acknowledged_at IS NULL',
    ).run(at.toISOString(), by.userId, by.name, by.platform, id).changes === 1
  );
}

/** Critical alerts past their acknowledgement deadline that have not yet escalated. */
export function overdueAlerts(db: Db, now: Date): AlertRecord[] {
  return stmt<[string], AlertRow>(
    db,
    'SELECT * FROM alerts WHERE acknowledged_at IS NULL AND escalated_at IS NULL AND resolved_at IS NULL AND ack_deadline IS NOT NULL AND ack_deadline <= ? ORDER BY id',
  )
    .all(now.toISOString())
    .map(fromRow);
}

/** Marks every still-open alert of a scope resolved; returns the ids whose posted copies need updating. */
export function resolveAlerts(db: Db, scope: string, resolution: string, at: Date): number[] {
  return stmt<[string, string, string], { id: number }>(
    db,
    'UPDATE alerts SET resolved_at = ?, resolution = ? WHERE scope = ? AND resolved_at IS NULL RETURNING id',
  )
    .all(at.toISOString(), resolution, scope)
    .map((r) => r.id);
}

export function markEscalated(db: Db, id: number, at: Date): boolean {
  return stmt(db, 'UPDATE alerts SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL').run(at.toISOString(), id).changes === 1;
}

export function recordAlertMessage(db: Db, m: { alertId: number; platform: Platform; channel: string; ts: string }): void {
  stmt(db, 'INSERT OR REPLACE INTO alert_messages (alert_id, platform, channel, message_ts) VALUES (?, ?, ?, ?)').run(
    m.alertId, m.platform, m.channel, m.ts,
  );
}

export function alertMessages(db: Db, alertId: number, platform: Platform): { channel: string; ts: string }[] {
  return stmt<[number, string], { channel: string; message_ts: string }>(
    db,
    'SELECT channel, message_ts FROM alert_messages WHERE alert_id = ? AND platform = ? ORDER BY channel',
  )
    .all(alertId, platform)
    .map((r) => ({ channel: r.channel, ts: r.message_ts }));
}

export function addToReviewAgenda(db: Db, item: { date: string; exceptionSeq: number | null; alertId: number; text: string; at: Date }): void {
  stmt(db, 'INSERT INTO review_agenda (agenda_date, exception_seq, alert_id, item, added_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
    item.date, item.exceptionSeq, item.alertId, item.text, item.at.toISOString(),
  );
}

export function reviewAgenda(db: Db, date: string): { item: string; exceptionSeq: number | null; alertId: number }[] {
  return stmt<[string], { item: string; exception_seq: number | null; alert_id: number }>(
    db,
    'SELECT item, exception_seq, alert_id FROM review_agenda WHERE agenda_date = ? ORDER BY id',
  )
    .all(date)
    .map((r) => ({ item: r.item, exceptionSeq: r.exception_seq, alertId: r.alert_id }));
}

/** Accounts whose exception risk rose to warning or critical in [from, to). */
export function accountsWhoseRiskRose(db: Db, from: Date, to: Date): { account: string; level: string }[] {
  return stmt<[string, string], { account: string; level: string }>(
    db,
    "SELECT DISTINCT e.account, a.level FROM alerts a JOIN exceptions e ON e.seq = a.exception_seq WHERE a.raised_at >= ? AND a.raised_at < ? AND a.level IN ('warning', 'critical') ORDER BY e.account",
  ).all(from.toISOString(), to.toISOString());
}
