import type { Platform } from '../domain/actor.js';
import { formatExceptionId, parseExceptionId, type ExceptionRecord, type ExceptionStatus } from '../domain/exception-record.js';
import type { Db } from './open.js';
import { stmt } from './statements.js';

interface ExceptionRow {
  seq: number;
  status: ExceptionStatus;
  quote_ref: string;
  account: string;
  segment: string;
  reason: string;
  approved_by_name: string;
  approved_by_role: string;
  owner: string;
  recovery_plan: string | null;
  target_date: string | null;
  approved_at: string;
  rejection_reason: string | null;
  outcome: 'recovered' | 'retired' | null;
  closed_at: string | null;
  created_at: string;
  created_platform: Platform;
  created_user_id: string;
  created_user_name: string;
  idempotency_key: string | null;
}

interface ProgressRow {
  exception_seq: number;
  noted_at: string;
  note: string;
  user_name: string;
}

export type NewException = Omit<ExceptionRecord, 'id' | 'seq' | 'progress' | 'outcome' | 'closedAt'> & {
  idempotencyKey: string | null;
};

function fromRow(row: ExceptionRow, progress: ProgressRow[]): ExceptionRecord {
  return {
    id: formatExceptionId(row.seq),
    seq: row.seq,
    status: row.status,
    quoteRef: row.quote_ref,
    account: row.account,
    segment: row.segment,
    reason: row.reason,
    approvedByName: row.approved_by_name,
    approvedByRole: row.approved_by_role,
    owner: row.owner,
    recoveryPlan: row.recovery_plan,
    targetDate: row.target_date,
    approvedAt: new Date(row.approved_at),
    rejectionReason: row.rejection_reason,
    outcome: row.outcome,
    closedAt: row.closed_at ? new Date(row.closed_at) : null,
    createdAt: new Date(row.created_at),
    createdBy: { platform: row.created_platform, userId: row.created_user_id, name: row.created_user_name },
    progress: progress.map((p) => ({ notedAt: new Date(p.noted_at), note: p.note, userName: p.user_name })),
  };
}

function progressFor(db: Db, seqs: number[]): Map<number, ProgressRow[]> {
  const out = new Map<number, ProgressRow[]>();
  if (seqs.length === 0) return out;
  const rows = db
    .prepare(`SELECT exception_seq, noted_at, note, user_name FROM exception_progress WHERE exception_seq IN (${seqs.map(() => '?').join(',')}) ORDER BY noted_at, id`)
    .all(...seqs) as ProgressRow[];
  for (const r of rows) out.set(r.exception_seq, [...(out.get(r.exception_seq) ?? []), r]);
  return out;
}

export function insertException(db: Db, e: NewException): { exception: ExceptionRecord; created: boolean } {
  // A retry is answered before the insert: a skipped insert would still use up an EX number.
  const earlier = e.idempotencyKey ? stmt<[string], ExceptionRow>(db, 'SELECT * FROM exceptions WHERE idempotency_key = ?').get(e.idempotencyKey) : undefined;
  if (earlier) return { exception: fromRow(earlier, progressFor(db, [earlier.seq]).get(earlier.seq) ?? []), created: false };
  const inserted = stmt<unknown[], { seq: number }>(
    db,
    `INSERT INTO exceptions (status, quote_ref, account, segment, reason, approved_by_name, approved_by_role, owner,
       recovery_plan, target_date, approved_at, rejection_reason, created_at, created_platform, created_user_id,
       created_user_name, idempotency_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING seq`,
  ).get(
    e.status, e.quoteRef, e.account, e.segment, e.reason, e.approvedByName, e.approvedByRole, e.owner,
    e.recoveryPlan, e.targetDate, e.approvedAt.toISOString(), e.rejectionReason, e.createdAt.toISOString(),
    e.createdBy.platform, e.createdBy.userId, e.createdBy.name, e.idempotencyKey,
  );
  if (inserted) return { exception: getExceptionBySeq(db, inserted.seq) as ExceptionRecord, created: true };
  const existing = stmt<[string | null], ExceptionRow>(db, 'SELECT * FROM exceptions WHERE idempotency_key = ?').get(e.idempotencyKey);
  if (!existing) throw new Error('exception insert was skipped but no row holds its idempotency key');
  return { exception: fromRow(existing, progressFor(db, [existing.seq]).get(existing.seq) ?? []), created: false };
}

export function getExceptionBySeq(db: Db, seq: number): ExceptionRecord | null {
  const row = stmt<[number], ExceptionRow>(db, 'SELECT * FROM exceptions WHERE seq = ?').get(seq);
  return row ? fromRow(row, progressFor(db, [seq]).get(seq) ?? []) : null;
}

export function getException(db: Db, id: string): ExceptionRecord | null {
  const seq = parseExceptionId(id);
  return seq === null ? null : getExceptionBySeq(db, seq);
}

/** Open exceptions, oldest first (the burn-down order of §42). */
export function listOpenExceptions(db: Db): ExceptionRecord[] {
  const rows = stmt<[], ExceptionRow>(db, "SELECT * FROM exceptions WHERE status = 'open' ORDER BY approved_at, seq").all();
  const progress = progressFor(db, rows.map((r) => r.seq));
  return rows.map((r) => fromRow(r, progress.get(r.seq) ?? []));
}

export function addProgress(db: Db, seq: number, note: { at: Date; text: string; userId: string; userName: string }): void {
  stmt(db, 'INSERT INTO exception_progress (exception_seq, noted_at, note, user_id, user_name) VALUES (?, ?, ?, ?, ?)').run(
    seq, note.at.toISOString(), note.text, note.userId, note.userName,
  );
}

/** Closes an open exception; false when it was not open (already closed, or rejected). */
export function closeException(db: Db, seq: number, outcome: 'recovered' | 'retired', at: Date): boolean {
  return (
    stmt(db, "UPDATE exceptions SET status = 'closed', outcome = ?, closed_at = ? WHERE seq = ? AND status = 'open'").run(
      outcome, at.toISOString(), seq,
    ).changes === 1
  );
}

/** Exceptions recorded (not rejected) and closed in [from, to): two index ranges, one week wide. */
export function exceptionActivity(db: Db, from: Date, to: Date): { created: number; closed: number } {
  const [f, t] = [from.toISOString(), to.toISOString()];
  const created = stmt<[string, string], { n: number }>(db, "SELECT COUNT(*) AS n FROM exceptions WHERE status != 'rejected' AND created_at >= ? AND created_at < ?").get(f, t)?.n ?? 0;
  const closed = stmt<[string, string], { n: number }>(db, 'SELECT COUNT(*) AS n FROM exceptions WHERE closed_at >= ? AND closed_at < ?').get(f, t)?.n ?? 0;
  return { created, closed };
}

/**
 * Exceptions open at an instant: approved by then and not closed by then. Counted as the ones open
 * now (`exceptions_open_by_age`) plus the ones closed after the instant (`exceptions_by_closed`), so
 * the cost follows what is open and what closed since, never the whole registry's history. A
 * rejected exception was never open; an open one has no closed_at.
 */
export function openExceptionsAt(db: Db, at: Date): number {
  const a = at.toISOString();
  const open = stmt<[string], { n: number }>(db, "SELECT COUNT(*) AS n FROM exceptions WHERE status = 'open' AND approved_at <= ?").get(a)?.n ?? 0;
  const closedSince =
    stmt<[string, string], { n: number }>(db, "SELECT COUNT(*) AS n FROM exceptions WHERE closed_at > ? AND approved_at <= ? AND status != 'rejected'").get(a, a)?.n ?? 0;
  return open + closedSince;
}

/** Which of these quote refs became strategic exceptions (escalated quotes approved after all): one index seek each. */
export function quoteRefsWithExceptions(db: Db, refs: readonly string[]): Set<string> {
  if (refs.length === 0) return new Set();
  return new Set(
    stmt<[string], { quote_ref: string }>(
      db,
      "SELECT DISTINCT quote_ref FROM exceptions WHERE quote_ref IN (SELECT value FROM json_each(?)) AND status != 'rejected'",
    )
      .all(JSON.stringify(refs))
      .map((r) => r.quote_ref),
  );
}
