import type { Db } from './open.js';
import { stmt } from './statements.js';

/** Claims a slot for a job; false when any process claimed it before. */
export function claimSlot(db: Db, job: string, slot: Date, now: Date): boolean {
  return (
    stmt(db, "INSERT INTO schedule_runs (job, slot, status, claimed_at) VALUES (?, ?, 'claimed', ?) ON CONFLICT DO NOTHING").run(
      job, slot.toISOString(), now.toISOString(),
    ).changes === 1
  );
}

/**
 * Takes a failed slot back for another attempt; false when it is not failed. `due` limits it to a
 * slot whose retry time has come (the clock); without it any failed slot is taken (a person rerunning it).
 */
export function retakeFailedSlot(db: Db, job: string, slot: Date, now: Date, due: boolean): boolean {
  return (
    stmt(
      db,
      `UPDATE schedule_runs SET status = 'claimed', claimed_at = ? WHERE job = ? AND slot = ? AND status = 'failed'
         AND (? = 0 OR (next_attempt_at IS NOT NULL AND next_attempt_at <= ?))`,
    ).run(now.toISOString(), job, slot.toISOString(), due ? 1 : 0, now.toISOString()).changes === 1
  );
}

export function finishSlot(db: Db, job: string, slot: Date, summary: string, now: Date): void {
  stmt(db, "UPDATE schedule_runs SET status = 'posted', summary = ?, finished_at = ?, next_attempt_at = NULL WHERE job = ? AND slot = ?").run(
    summary.slice(0, 500), now.toISOString(), job, slot.toISOString(),
  );
}

/** Records a failed attempt on a claimed slot and returns how many attempts it has had. */
export function recordFailedAttempt(db: Db, job: string, slot: Date, now: Date, error: string): number {
  const row = stmt<[string, string, string, string], { attempts: number }>(
    db,
    "UPDATE schedule_runs SET status = 'failed', attempts = attempts + 1, finished_at = ?, last_error = ?, next_attempt_at = NULL WHERE job = ? AND slot = ? RETURNING attempts",
  ).get(now.toISOString(), error.slice(0, 500), job, slot.toISOString());
  return row?.attempts ?? 0;
}

/** When the clock tries a failed slot again; null gives up on it. */
export function setRetryAt(db: Db, job: string, slot: Date, at: Date | null): void {
  stmt(db, "UPDATE schedule_runs SET next_attempt_at = ? WHERE job = ? AND slot = ? AND status = 'failed'").run(at?.toISOString() ?? null, job, slot.toISOString());
}

/** A job's failed slots whose retry time has come, oldest first. */
export function dueRetries(db: Db, job: string, now: Date): Date[] {
  return stmt<[string, string], { slot: string }>(
    db,
    "SELECT slot FROM schedule_runs WHERE job = ? AND next_attempt_at IS NOT NULL AND next_attempt_at <= ? AND status = 'failed' ORDER BY slot",
  )
    .all(job, now.toISOString())
    .map((r) => new Date(r.slot));
}

/** Records a missed slot as skipped (not posted late); false when the slot already has a row. */
export function skipSlot(db: Db, job: string, slot: Date, now: Date, why: string): boolean {
  return (
    stmt(db, "INSERT INTO schedule_runs (job, slot, status, claimed_at, finished_at, summary) VALUES (?, ?, 'skipped', ?, ?, ?) ON CONFLICT DO NOTHING").run(
      job, slot.toISOString(), now.toISOString(), now.toISOString(), why,
    ).changes === 1
  );
}

export interface SlotRun {
  slot: Date;
  status: string;
  finishedAt: Date | null;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
}

interface SlotRunRow {
  slot: string;
  status: string;
  finished_at: string | null;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
}

const toSlotRun = (row: SlotRunRow): SlotRun => ({
  slot: new Date(row.slot),
  status: row.status,
  finishedAt: row.finished_at ? new Date(row.finished_at) : null,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at ? new Date(row.next_attempt_at) : null,
  lastError: row.last_error,
});

export function lastSlot(db: Db, job: string): SlotRun | null {
  const row = stmt<[string], SlotRunRow>(
    db,
    'SELECT slot, status, finished_at, attempts, next_attempt_at, last_error FROM schedule_runs WHERE job = ? ORDER BY slot DESC LIMIT 1',
  ).get(job);
  return row ? toSlotRun(row) : null;
}

export function slotRun(db: Db, job: string, slot: Date): SlotRun | null {
  const row = stmt<[string, string], SlotRunRow>(
    db,
    'SELECT slot, status, finished_at, attempts, next_attempt_at, last_error FROM schedule_runs WHERE job = ? AND slot = ?',
  ).get(job, slot.toISOString());
  return row ? toSlotRun(row) : null;
}

/** The last slot a job actually posted, e.g. the previous end-of-day closure. */
export function lastPosted(db: Db, job: string, before: Date): Date | null {
  const row = stmt<[string, string], { slot: string }>(
    db,
    "SELECT slot FROM schedule_runs WHERE job = ? AND status = 'posted' AND slot < ? ORDER BY slot DESC LIMIT 1",
  ).get(job, before.toISOString());
  return row ? new Date(row.slot) : null;
}

export function assignQuoteOwner(db: Db, quoteSeq: number, owner: { id: string; name: string }, by: string, at: Date): boolean {
  return (
    stmt(db, 'INSERT INTO quote_owners (quote_seq, owner_id, owner_name, assigned_at, assigned_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING').run(
      quoteSeq, owner.id, owner.name, at.toISOString(), by,
    ).changes === 1
  );
}

export function quoteOwner(db: Db, quoteSeq: number): { id: string; name: string } | null {
  const row = stmt<[number], { owner_id: string; owner_name: string }>(db, 'SELECT owner_id, owner_name FROM quote_owners WHERE quote_seq = ?').get(quoteSeq);
  return row ? { id: row.owner_id, name: row.owner_name } : null;
}
