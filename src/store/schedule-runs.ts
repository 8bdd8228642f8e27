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

export function finishSlot(db: Db, job: string, slot: Date, status: 'posted' | 'failed', summary: string, now: Date): void {
  stmt(db, 'UPDATE schedule_runs SET status = ?, summary = ?, finished_at = ? WHERE job = ? AND slot = ?').run(
    status, summary.slice(0, 500), now.toISOString(), job, slot.toISOString(),
  );
}

/** Records a missed slot as skipped (not posted late); false when the slot already has a row. */
export function skipSlot(db: Db, job: string, slot: Date, now: Date, why: string): boolean {
  return (
    stmt(db, "INSERT INTO schedule_runs (job, slot, status, claimed_at, finished_at, summary) VALUES (?, ?, 'skipped', ?, ?, ?) ON CONFLICT DO NOTHING").run(
      job, slot.toISOString(), now.toISOString(), now.toISOString(), why,
    ).changes === 1
  );
}

export function lastSlot(db: Db, job: string): { slot: Date; status: string; finishedAt: Date | null } | null {
  const row = stmt<[string], { slot: string; status: string; finished_at: string | null }>(
    db,
    'SELECT slot, status, finished_at FROM schedule_runs WHERE job = ? ORDER BY slot DESC LIMIT 1',
  ).get(job);
  return row ? { slot: new Date(row.slot), status: row.status, finishedAt: row.finished_at ? new Date(row.finished_at) : null } : null;
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
