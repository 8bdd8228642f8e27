import type BetterSqlite3 from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Sqlite as Database } from './sqlite.js';
import { backupName } from '../backup/take.js';
import { backupProblem } from '../backup/verify.js';
import { recordBackup, type BackupRecord } from './backups.js';
import { BUSY_TIMEOUT_MS } from './busy.js';
import { listMigrations, migrate } from './migrate.js';

export type Db = BetterSqlite3.Database;

/** The database cannot be used; the message names the file and the reason, for one line at start. */
export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`the database ${path} cannot be used: ${reason}`);
  }
}

export interface OpenOptions {
  /** The busy timeout once open; a batch tool (the CLI) may wait longer than the bot's event loop can. */
  busyTimeoutMs?: number;
  /** Where to copy a database that holds data before its schema is migrated; no copy when unset. */
  backupDirBeforeMigration?: string;
}

/** Waiting at start blocks nothing yet: no request is served before the database is open. */
const START_BUSY_TIMEOUT_MS = 5_000;
const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;

function reasonOf(error: unknown): string {
  if (error instanceof Database.SqliteError) return `${error.message} (${error.code})`;
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') return `${error.message.replace(/^[A-Z]+: /, '')}`;
  return error instanceof Error ? error.message : String(error);
}

/** What SQLite needs before it is asked: a writable file, and a writable directory for -wal and -shm. */
function checkWritable(path: string): void {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new DatabaseOpenError(path, `its directory ${dir} cannot be created: ${reasonOf(error)}`);
  }
  if (existsSync(path)) {
    if (!statSync(path).isFile()) throw new DatabaseOpenError(path, 'it is not a regular file');
    try {
      accessSync(path, constants.R_OK | constants.W_OK);
    } catch {
      throw new DatabaseOpenError(path, 'the file is not writable by this user (check its owner and mode, e.g. chmod 600)');
    }
  }
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw new DatabaseOpenError(path, `its directory ${dir} is not writable by this user (SQLite keeps its -wal and -shm files beside the database)`);
  }
}

/** PRAGMA quick_check answers one row "ok", or one row per problem found. */
function checkIntegrity(db: Db): void {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  // A single row may hold many problems, one a line, under a "*** in database main ***" heading.
  const problems = rows
    .flatMap((r) => r.quick_check.split('\n'))
    .map((m) => m.trim())
    .filter((m) => m !== '' && m !== 'ok' && !m.startsWith('***'));
  if (problems.length) {
    const shown = problems.slice(0, 3).join('; ');
    throw new Error(`PRAGMA quick_check found damage: ${shown}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}; restore it from a backup (deploy/BACKUP.md)`);
  }
}

/**
 * A copy of a database that holds a schema, taken before a migration changes it: the way back if an
 * upgrade goes wrong. VACUUM INTO writes a consistent, compact copy (synchronously: nothing is served
 * yet). A copy that cannot be made stops the start: no migration without a way back.
 */
function backupBeforeMigration(db: Db, dir: string): Omit<BackupRecord, 'id'> | null {
  const current = db.pragma('user_version', { simple: true }) as number;
  const target = listMigrations().length;
  if (current === 0 || current >= target) return null;
  const startedAt = new Date();
  const file = join(dir, backupName(startedAt, 'migration'));
  try {
    mkdirSync(dir, { recursive: true });
    db.prepare('VACUUM INTO ?').run(file);
  } catch (error) {
    rmSync(file, { force: true });
    throw new Error(`it could not be backed up to ${dir} before migrating its schema from version ${current} to ${target} (${reasonOf(error)}); free some space or set BACKUP_DIR`);
  }
  const problem = backupProblem(file, current);
  if (problem) throw new Error(`its backup before migrating (${file}) failed its check: ${problem}`);
  return { startedAt, finishedAt: new Date(), reason: 'migration', file, bytes: statSync(file).size, ok: true, error: null, copyFile: null, copyError: null };
}

/** Takes the write lock and lets it go: proves the file can be written, not only read. */
export function probeWrite(db: Db): void {
  db.exec('BEGIN IMMEDIATE');
  db.exec('ROLLBACK');
}

/**
 * Opens the database with the pragmas the bot relies on, checks it can be written and is not
 * damaged, and brings its schema up to date. Anything wrong is a DatabaseOpenError naming the file,
 * and a failed start leaves behind no -wal or -shm file it created (one already there may hold
 * committed transactions, so it is kept).
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  const memory = path === ':memory:';
  const shown = memory ? path : resolve(path);
  const before = memory ? [] : SIDE_FILES.filter((s) => existsSync(`${path}${s}`));
  const existed = memory || existsSync(path);
  if (!memory) checkWritable(shown);
  let db: Db | undefined;
  try {
    db = new Database(path);
    db.pragma(`busy_timeout = ${START_BUSY_TIMEOUT_MS}`);
    checkIntegrity(db);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    // FULL: every commit is on the card before the reply says it happened. NORMAL in WAL mode never
    // corrupts, but a power cut can take the last commits back, and a quote someone was told is
    // approved must survive a pulled plug. bench/durability.ts: +0.5 ms a quote here, +2% a usage batch.
    db.pragma('synchronous = FULL');
    const before = options.backupDirBeforeMigration ? backupBeforeMigration(db, options.backupDirBeforeMigration) : null;
    migrate(db);
    if (before) recordBackup(db, before);
    probeWrite(db);
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
    return db;
  } catch (error) {
    try {
      db?.close();
    } catch {
      // Closing a damaged file can fail too; the cleanup below still runs.
    }
    if (!memory) {
      for (const s of SIDE_FILES) if (!before.includes(s)) rmSync(`${path}${s}`, { force: true });
      // A file this start created holds nothing yet; leaving it would make the next start look at an empty database.
      if (!existed && existsSync(path) && statSync(path).size === 0) rmSync(path, { force: true });
    }
    throw error instanceof DatabaseOpenError ? error : new DatabaseOpenError(shown, reasonOf(error));
  }
}
