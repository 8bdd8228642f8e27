import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Sqlite as Database } from '../store/sqlite.js';
import { takeBackup } from '../backup/take.js';
import { backupProblem } from '../backup/verify.js';
import type { AppConfig } from '../config.js';
import { recentBackups } from '../store/backups.js';
import { listMigrations } from '../store/migrate.js';
import { openDatabase, type Db } from '../store/open.js';
import { runningBotPid } from '../store/pid-file.js';

type Out = { out: (s: string) => void; err: (s: string) => void };
const mb = (bytes: number | null) => (bytes === null ? '-' : `${(bytes / 1_048_576).toFixed(1)} MB`);

export async function backupNow(env: { config: AppConfig; db: Db }, io: Out): Promise<number> {
  const { config, db } = env;
  const b = await takeBackup(db, { dir: config.backupDir, copyDir: config.backupCopyDir }, 'manual', () => new Date());
  if (!b.ok) {
    io.err(`Backup failed: ${b.error}\n`);
    return 1;
  }
  io.out(`Backed up to ${b.file} (${mb(b.bytes)}, checked).\n`);
  if (config.backupCopyDir) io.out(b.copyFile ? `Copied to ${b.copyFile}.\n` : `Not copied off the card: ${b.copyError}\n`);
  return b.copyError ? 2 : 0;
}

export function backupList(env: { db: Db }, io: Out): number {
  const rows = recentBackups(env.db);
  if (!rows.length) {
    io.out('No backups yet. `npm run cli -- backup now` takes one; the bot takes one every BACKUP_EVERY.\n');
    return 0;
  }
  for (const b of rows) {
    const what = b.ok ? `${b.file ?? '?'} ${mb(b.bytes)}${b.copyFile ? ` + ${b.copyFile}` : b.copyError ? ` (not copied: ${b.copyError})` : ''}` : `FAILED: ${b.error}`;
    io.out(`${b.finishedAt.toISOString()}  ${b.reason.padEnd(9)} ${what}${b.file && b.ok && !existsSync(b.file) ? ' (file gone: pruned or moved)' : ''}\n`);
  }
  return 0;
}

export function backupVerify(file: string, io: Out): number {
  if (!existsSync(file)) {
    io.err(`${file} does not exist.\n`);
    return 1;
  }
  const problem = backupProblem(file, listMigrations().length, true);
  if (problem) {
    io.err(`${file} cannot be restored: ${problem}\n`);
    return 1;
  }
  io.out(`${file} is a good backup: it opens, passes quick_check, and its schema is this code's or older (a restore migrates it forward).\n`);
  return 0;
}

/**
 * Puts a backup in the database's place. Refused while a bot runs on the database (its pid file);
 * the file it replaces is kept beside it with a timestamp, together with any -wal it had; the
 * restored file must open and pass the same checks as every start before this says it worked.
 */
export function backupRestore(config: AppConfig, file: string, io: Out, now = new Date()): number {
  const target = config.databasePath;
  const pid = runningBotPid(target);
  if (pid !== null) {
    io.err(`The bot is running on ${target} (pid ${pid}): stop it first (sudo systemctl stop j1msky-ops), then restore.\n`);
    return 1;
  }
  if (backupVerify(file, { out: () => undefined, err: io.err }) !== 0) return 1;
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const kept = `${target}.replaced-${stamp}`;
  if (existsSync(target)) {
    // Fold a -wal into the file first where it opens, so the kept copy is whole by itself.
    try {
      const db = new Database(target);
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    } catch {
      // A damaged file is kept as it is, with its side files.
    }
    renameSync(target, kept);
    for (const side of ['-wal', '-shm']) if (existsSync(`${target}${side}`)) renameSync(`${target}${side}`, `${kept}${side}`);
  }
  copyFileSync(file, target);
  try {
    openDatabase(target).close();
  } catch (error) {
    rmSync(target, { force: true });
    if (existsSync(kept)) renameSync(kept, target);
    io.err(`The restored database did not pass its checks, so the previous one is back in place: ${(error as Error).message}\n`);
    return 1;
  }
  io.out(`Restored ${basename(file)} to ${target} (${(statSync(target).size / 1_048_576).toFixed(1)} MB).${existsSync(kept) ? ` The database it replaced is kept as ${kept}.` : ''}\nStart the bot again: sudo systemctl start j1msky-ops\n`);
  return 0;
}
