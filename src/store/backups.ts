import type { Db } from './open.js';
import { stmt } from './statements.js';

export type BackupReason = 'schedule' | 'manual' | 'migration';

export interface BackupRecord {
  id: number;
  startedAt: Date;
  finishedAt: Date;
  reason: BackupReason;
  file: string | null;
  bytes: number | null;
  ok: boolean;
  error: string | null;
  copyFile: string | null;
  copyError: string | null;
}

interface Row {
  id: number;
  started_at: string;
  finished_at: string;
  reason: BackupReason;
  file: string | null;
  bytes: number | null;
  ok: number;
  error: string | null;
  copy_file: string | null;
  copy_error: string | null;
}

const fromRow = (r: Row): BackupRecord => ({
  id: r.id,
  startedAt: new Date(r.started_at),
  finishedAt: new Date(r.finished_at),
  reason: r.reason,
  file: r.file,
  bytes: r.bytes,
  ok: r.ok === 1,
  error: r.error,
  copyFile: r.copy_file,
  copyError: r.copy_error,
});

export function recordBackup(db: Db, b: Omit<BackupRecord, 'id'>): number {
  return Number(
    stmt(
      db,
      `INSERT INTO backups (started_at, finished_at, reason, file, bytes, ok, error, copy_file, copy_error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(b.startedAt.toISOString(), b.finishedAt.toISOString(), b.reason, b.file, b.bytes, b.ok ? 1 : 0, b.error, b.copyFile, b.copyError).lastInsertRowid,
  );
}

/** The newest good backup, and the newest failed attempt. */
export function latestBackups(db: Db): { good: BackupRecord | null; failed: BackupRecord | null } {
  const newest = (ok: 0 | 1) => stmt<[number], Row>(db, 'SELECT * FROM backups WHERE ok = ? ORDER BY finished_at DESC, id DESC LIMIT 1').get(ok);
  const good = newest(1);
  const failed = newest(0);
  return { good: good ? fromRow(good) : null, failed: failed ? fromRow(failed) : null };
}

/** Good backups whose files retention has not deleted, newest first. */
export function keptBackups(db: Db): BackupRecord[] {
  return stmt<[], Row>(db, 'SELECT * FROM backups WHERE ok = 1 AND pruned_at IS NULL ORDER BY finished_at DESC, id DESC').all().map(fromRow);
}

/** The last attempts, newest first: what `backup list` shows. */
export function recentBackups(db: Db, limit = 30): BackupRecord[] {
  return stmt<[number], Row>(db, 'SELECT * FROM backups ORDER BY finished_at DESC, id DESC LIMIT ?').all(limit).map(fromRow);
}

export function markPruned(db: Db, id: number, at: Date): void {
  stmt(db, 'UPDATE backups SET pruned_at = ? WHERE id = ?').run(at.toISOString(), id);
}
