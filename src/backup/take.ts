import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { backupsToPrune, DEFAULT_RETENTION, type Retention } from '../domain/backup-rules.js';
import type { Logger } from '../logger.js';
import { keptBackups, markPruned, recordBackup, type BackupReason, type BackupRecord } from '../store/backups.js';
import type { Db } from '../store/open.js';
import { backupProblem } from './verify.js';

export interface BackupSettings {
  dir: string;
  /** A second place (a USB stick, a NAS mount) that must already exist: it is never created on the card. */
  copyDir?: string;
  retention?: Retention;
}

/** ops-20261122T143000Z.db: sorts by time, safe in every file system. */
export const backupName = (at: Date, reason: BackupReason) =>
  `ops-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}${reason === 'schedule' ? '' : `-${reason}`}.db`;

/** Copies to a temporary name, flushes it to the device, then renames: a pulled plug leaves no half file under the real name. */
export function durableCopy(from: string, to: string): void {
  const partial = `${to}.partial`;
  copyFileSync(from, partial);
  const fd = openSync(partial, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, to);
}

function secondCopy(file: string, copyDir: string): { copyFile: string | null; copyError: string | null } {
  try {
    if (!existsSync(copyDir) || !statSync(copyDir).isDirectory()) {
      return { copyFile: null, copyError: `BACKUP_COPY_DIR ${copyDir} does not exist (is the USB stick or share mounted?)` };
    }
    const to = join(copyDir, basename(file));
    durableCopy(file, to);
    return { copyFile: to, copyError: null };
  } catch (error) {
    return { copyFile: null, copyError: (error as Error).message };
  }
}

/**
 * One online backup with SQLite's backup API (the bot keeps answering while pages are copied),
 * checked before it counts, then copied off the card when a second place is set. Every attempt,
 * good or failed, is recorded; a failure never throws, it is the record's error.
 */
export async function takeBackup(db: Db, settings: BackupSettings, reason: BackupReason, clock: () => Date, log?: Logger): Promise<BackupRecord> {
  const startedAt = clock();
  const file = join(settings.dir, backupName(startedAt, reason));
  const partial = `${file}.partial`;
  let outcome: Omit<BackupRecord, 'id' | 'startedAt' | 'finishedAt' | 'reason'>;
  try {
    mkdirSync(settings.dir, { recursive: true });
    await db.backup(partial);
    const problem = backupProblem(partial);
    if (problem) throw new Error(`the copy failed its check: ${problem}`);
    renameSync(partial, file);
    const copy = settings.copyDir ? secondCopy(file, settings.copyDir) : { copyFile: null, copyError: null };
    outcome = { file, bytes: statSync(file).size, ok: true, error: null, ...copy };
  } catch (error) {
    try {
      rmSync(partial, { force: true });
    } catch {
      // The directory itself is what failed (not a directory, gone): there is no partial file.
    }
    outcome = { file: null, bytes: null, ok: false, error: (error as Error).message, copyFile: null, copyError: null };
  }
  const record = { startedAt, finishedAt: clock(), reason, ...outcome };
  const id = recordBackup(db, record);
  if (record.ok) log?.info({ file: record.file, bytes: record.bytes, copy: record.copyFile, copyError: record.copyError }, 'backup taken');
  else log?.error({ error: record.error }, 'backup failed');
  if (record.copyError) log?.warn({ error: record.copyError }, 'backup not copied off the card');
  if (record.ok) pruneBackups(db, settings, clock(), log);
  return { id, ...record };
}

/** Deletes what retention no longer keeps, in both places. */
export function pruneBackups(db: Db, settings: BackupSettings, now: Date, log?: Logger): number {
  const kept = keptBackups(db).filter((b) => b.file !== null);
  const drop = backupsToPrune(kept.map((b) => ({ file: b.file ?? '', at: b.finishedAt })), now, settings.retention ?? DEFAULT_RETENTION);
  for (const d of drop) {
    const record = kept.find((b) => b.file === d.file);
    if (!record) continue;
    rmSync(d.file, { force: true });
    if (record.copyFile) rmSync(record.copyFile, { force: true });
    markPruned(db, record.id, now);
  }
  if (drop.length) log?.info({ pruned: drop.map((d) => basename(d.file)) }, 'old backups pruned');
  return drop.length;
}
